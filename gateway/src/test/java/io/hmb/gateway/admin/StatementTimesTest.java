package io.hmb.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The statement text shown can carry no value, and a rewritten batch of any size is one statement. */
class StatementTimesTest {
  @Test
  void placeholdersLiteralsAndNumbersBecomeQuestionMarks() {
    assertThat(StatementTimes.normalise("SELECT a FROM message\n   WHERE message_id = $1 AND n > 42 LIMIT $2"))
        .isEqualTo("SELECT a FROM message WHERE message_id = ? AND n > ? LIMIT ?");
    assertThat(StatementTimes.normalise("SET application_name = 'Zhang San''s app'"))
        .isEqualTo("SET application_name = '?'");
    assertThat(StatementTimes.normalise("SELECT x FROM audit_v2 WHERE y = -3.5"))
        .isEqualTo("SELECT x FROM audit_v2 WHERE y = ?");
  }

  @Test
  void aMultiRowValuesIsOneTupleWhateverItsSize() {
    String two = StatementTimes.normalise("INSERT INTO audit_event(at, event) VALUES ($1, $2),($3, $4)");
    String three = StatementTimes.normalise("INSERT INTO audit_event(at, event) VALUES ($1, $2), ($3, $4), ($5, $6)");
    assertThat(two).isEqualTo("INSERT INTO audit_event(at, event) VALUES (?, ?), ...").isEqualTo(three);
    assertThat(StatementTimes.normalise("INSERT INTO audit_event(at, event) VALUES ($1, $2)"))
        .isEqualTo("INSERT INTO audit_event(at, event) VALUES (?, ?)");
  }

  @Test
  void sinceKeepsWhatRanInBetween() {
    var key = new StatementTimes.Key("SELECT ?", true);
    var idle = new StatementTimes.Key("COMMIT", true);
    StatementTimes before = new StatementTimes(Optional.empty(), Map.of(key, new StatementTimes.Statement(2, 1.0, 1, 0.5, 2),
        idle, new StatementTimes.Statement(5, 3.0, 0, 0, 0)));
    StatementTimes after = new StatementTimes(Optional.empty(), Map.of(key, new StatementTimes.Statement(5, 2.5, 1, 0.5, 5),
        idle, new StatementTimes.Statement(5, 3.0, 0, 0, 0)));
    assertThat(after.since(before).statements()).containsOnlyKeys(key);
    assertThat(after.since(before).statements().get(key).calls()).isEqualTo(3);
    assertThat(after.since(before).statements().get(key).execMs()).isEqualTo(1.5);
  }
}
