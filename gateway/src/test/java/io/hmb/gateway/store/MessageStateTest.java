package io.hmb.gateway.store;

import static io.hmb.gateway.store.MessageState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.gateway.intake.Delivery;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lifecycle table, without a database. */
class MessageStateTest {

  @Test
  void theStoreAndForwardMoves() {
    assertThat(ACCEPTED.next()).containsExactlyInAnyOrder(DELIVERING, DELIVERED, ACKNOWLEDGED);
    assertThat(RETRY_WAIT.next()).containsExactlyInAnyOrder(DELIVERING, DELIVERED, ACKNOWLEDGED);
    assertThat(DELIVERING.next()).containsExactlyInAnyOrder(DELIVERING, DELIVERED, ACKNOWLEDGED, RETRY_WAIT, DEAD_LETTERED);
    assertThat(DELIVERED.next()).containsExactlyInAnyOrder(DELIVERED, ACKNOWLEDGED, DEAD_LETTERED);
    assertThat(DEAD_LETTERED.next()).containsExactly(ACCEPTED);
    assertThat(ACKNOWLEDGED.next()).isEmpty();
  }

  @Test
  void thePassThroughMoves() {
    assertThat(FORWARDING.next()).containsExactlyInAnyOrder(ANSWERED, FAILED);
    assertThat(FAILED.next()).containsExactlyInAnyOrder(ANSWERED, FAILED);
    assertThat(ANSWERED.next()).containsExactly(ANSWERED);
  }

  @Test
  void whatTheOldCommentClaimedAndTheCodeNeverDid() {
    assertThat(DELIVERING.canMoveTo(ACCEPTED)).isFalse();
    assertThat(DELIVERED.canMoveTo(DELIVERING)).as("a push never takes a message from an inbox").isFalse();
    assertThat(ACKNOWLEDGED.canMoveTo(DEAD_LETTERED)).isFalse();
    assertThat(DEAD_LETTERED.canMoveTo(DELIVERING)).as("a dead letter goes back through ACCEPTED").isFalse();
    assertThat(ANSWERED.canMoveTo(FAILED)).as("an answer, once stored, is never replaced by a failure").isFalse();
  }

  @Test
  void noMoveCrossesDeliveryModesAndEachModeStartsInItsOwnState() {
    for (MessageState from : values()) {
      for (MessageState to : from.next()) {
        assertThat(to.delivery()).as("%s -> %s", from, to).isEqualTo(from.delivery());
      }
    }
    assertThat(initial(Delivery.STORE_AND_FORWARD)).isEqualTo(ACCEPTED);
    assertThat(initial(Delivery.PASS_THROUGH)).isEqualTo(FORWARDING);
    assertThat(EnumSet.allOf(MessageState.class).stream().filter(MessageState::isFinal)).containsExactly(ACKNOWLEDGED);
  }

  @Test
  void everyStateIsReachableFromItsModesInitialState() {
    for (Delivery mode : Delivery.values()) {
      Set<MessageState> reached = EnumSet.of(initial(mode));
      boolean grew = true;
      while (grew) {
        grew = false;
        for (MessageState s : EnumSet.copyOf(reached)) {
          grew |= reached.addAll(s.next());
        }
      }
      assertThat(reached).containsExactlyInAnyOrderElementsOf(
          EnumSet.allOf(MessageState.class).stream().filter(s -> s.delivery() == mode).toList());
    }
  }

  @Test
  void predicatesAreLiteralsAndAnUnlistedMoveIsRefused() {
    assertThat(DELIVERED.sql()).isEqualTo("'DELIVERED'");
    assertThat(isIn(DELIVERED)).isEqualTo("state = 'DELIVERED'");
    assertThat(isIn("h.state", ACCEPTED, RETRY_WAIT)).isEqualTo("h.state IN ('ACCEPTED', 'RETRY_WAIT')");
    assertThat(notIn(ACKNOWLEDGED, DEAD_LETTERED)).isEqualTo("state NOT IN ('ACKNOWLEDGED', 'DEAD_LETTERED')");
    assertThat(movingTo(DELIVERING, ACCEPTED, RETRY_WAIT, DELIVERING))
        .isEqualTo("state IN ('ACCEPTED', 'RETRY_WAIT', 'DELIVERING')");
    assertThat(movingToFromAnyBut(ACKNOWLEDGED, ACKNOWLEDGED, DEAD_LETTERED))
        .isEqualTo("state NOT IN ('ACKNOWLEDGED', 'DEAD_LETTERED')");
    assertThatThrownBy(() -> movingTo(DELIVERING, DELIVERED)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DELIVERED -> DELIVERING");
    assertThatThrownBy(() -> movingToFromAnyBut(ACKNOWLEDGED, DEAD_LETTERED)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ACKNOWLEDGED -> ACKNOWLEDGED");
  }

  /**
   * The partial indexes on message carry literal state predicates; the queries that should use them
   * build theirs from the enum. Where both name the same set, the text must be the same set too.
   */
  @Test
  void thePartialIndexesNameTheStatesTheQueriesBuild() throws IOException {
    String v3 = migration("V3__messages.sql");
    assertThat(v3).contains("WHERE " + isIn(ACCEPTED, RETRY_WAIT) + ";")
        .contains("WHERE " + isIn(ACCEPTED, RETRY_WAIT, DELIVERING, DELIVERED) + " AND delivery = 'STORE_AND_FORWARD'")
        .contains("WHERE delivery = 'STORE_AND_FORWARD' AND " + notIn(ACKNOWLEDGED, DEAD_LETTERED) + ";");
    assertThat(migration("V5__inbox_in_flight_index.sql"))
        .contains("WHERE delivery = 'STORE_AND_FORWARD' AND " + isIn(DELIVERED) + ";");
  }

  private static String migration(String name) throws IOException {
    try (InputStream in = MessageStateTest.class.getResourceAsStream("/db/migration/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theStatementsThatMoveRowsLoad() throws Exception {
    // Their guards are checked against the table when the classes initialise.
    Class.forName("io.hmb.gateway.delivery.DeliveryQueue");
    Class.forName("io.hmb.gateway.store.MessageStore");
  }
}
