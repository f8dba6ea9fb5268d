package io.hmb.gateway.store;

import static io.hmb.gateway.intake.Delivery.PASS_THROUGH;
import static io.hmb.gateway.intake.Delivery.STORE_AND_FORWARD;

import io.hmb.gateway.intake.Delivery;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The states of a {@code message} row and the moves between them: the one place they are defined.
 * The column's CHECK constraint (migration V8) lists exactly these names, each with its delivery mode;
 * {@code MessageStateSchemaTest} fails if the two drift apart. SQL that names a state builds it from
 * here ({@link #sql()}, {@link #isIn}); an UPDATE that moves rows builds its state guard with
 * {@link #movingTo}, which refuses, when the class holding the statement loads, a move this table does
 * not allow.
 *
 * <p><b>Store-and-forward</b> ({@code DeliveryQueue} makes every move but the first):
 * <pre>
 *   (admitted) --> ACCEPTED
 *   ACCEPTED, RETRY_WAIT --push claim, when due--> DELIVERING
 *   DELIVERING --push claim after its lease ran out--> DELIVERING         (attempt + 1)
 *   DELIVERING --the recipient's endpoint confirmed--> ACKNOWLEDGED
 *   DELIVERING --push failed, attempts left--> RETRY_WAIT
 *   DELIVERING --push failed, last attempt--> DEAD_LETTERED
 *   DELIVERING --claimed behind a failed head--> RETRY_WAIT                (attempt given back)
 *   ACCEPTED, RETRY_WAIT --inbox claim--> DELIVERED
 *   DELIVERING, DELIVERED --inbox claim after the lease ran out--> DELIVERED
 *   DELIVERED --lease ran out with every attempt used--> DEAD_LETTERED
 *   ACCEPTED, RETRY_WAIT, DELIVERING, DELIVERED --inbox acknowledgement--> ACKNOWLEDGED
 *   DEAD_LETTERED --operator redrive--> ACCEPTED                           (attempts reset)
 * </pre>
 * DELIVERING is a push in progress under a lease; DELIVERED is a message handed to an inbox stream
 * under a lease, waiting for its acknowledgement. ACKNOWLEDGED is the only final state; a dead letter
 * waits for an operator. For a recipient with both an endpoint and an inbox stream, the inbox can take
 * over a push whose lease ran out (DELIVERING to DELIVERED); a push never takes a message from an inbox.
 *
 * <p><b>Pass-through</b> ({@code MessageStore}):
 * <pre>
 *   (admitted) --> FORWARDING
 *   FORWARDING, FAILED --the recipient answered--> ANSWERED
 *   FORWARDING, FAILED --the forward failed--> FAILED
 *   ANSWERED --asked again because the stored answer would arrive expired--> ANSWERED (answer replaced)
 * </pre>
 * FAILED is not final: a retry with the same idempotency key is forwarded again from FAILED (the state
 * stays FAILED while it is in flight) and ends ANSWERED or FAILED.
 *
 * <p>This supersedes the state machine in V3's comment, which the code never followed: a push goes from
 * DELIVERING straight to ACKNOWLEDGED, DELIVERED belongs to the inbox alone, an inbox message is
 * dead-lettered from DELIVERED, and a pass-through's FAILED and ANSWERED are not final.
 */
public enum MessageState {
  ACCEPTED(STORE_AND_FORWARD),
  DELIVERING(STORE_AND_FORWARD),
  RETRY_WAIT(STORE_AND_FORWARD),
  DELIVERED(STORE_AND_FORWARD),
  ACKNOWLEDGED(STORE_AND_FORWARD),
  DEAD_LETTERED(STORE_AND_FORWARD),
  FORWARDING(PASS_THROUGH),
  ANSWERED(PASS_THROUGH),
  FAILED(PASS_THROUGH);

  private static final Map<MessageState, Set<MessageState>> NEXT = new EnumMap<>(MessageState.class);

  static {
    allow(ACCEPTED, DELIVERING, DELIVERED, ACKNOWLEDGED);
    allow(RETRY_WAIT, DELIVERING, DELIVERED, ACKNOWLEDGED);
    allow(DELIVERING, DELIVERING, DELIVERED, ACKNOWLEDGED, RETRY_WAIT, DEAD_LETTERED);
    allow(DELIVERED, DELIVERED, ACKNOWLEDGED, DEAD_LETTERED);
    allow(ACKNOWLEDGED);
    allow(DEAD_LETTERED, ACCEPTED);
    allow(FORWARDING, ANSWERED, FAILED);
    allow(FAILED, ANSWERED, FAILED);
    allow(ANSWERED, ANSWERED);
  }

  private static void allow(MessageState from, MessageState... to) {
    NEXT.put(from, Collections.unmodifiableSet(to.length == 0 ? EnumSet.noneOf(MessageState.class)
        : EnumSet.copyOf(Arrays.asList(to))));
  }

  private final Delivery delivery;

  MessageState(Delivery delivery) {
    this.delivery = delivery;
  }

  /** The delivery mode whose rows take this state; no move crosses modes. */
  public Delivery delivery() {
    return delivery;
  }

  /** The state a freshly admitted message starts in. */
  public static MessageState initial(Delivery delivery) {
    return delivery == STORE_AND_FORWARD ? ACCEPTED : FORWARDING;
  }

  /** The states a row in this state may be moved to (itself included where an update re-sets it). */
  public Set<MessageState> next() {
    return NEXT.get(this);
  }

  public boolean canMoveTo(MessageState to) {
    return NEXT.get(this).contains(to);
  }

  /** No move leaves this state. */
  public boolean isFinal() {
    return NEXT.get(this).isEmpty();
  }

  /** The SQL literal, {@code 'NAME'} (the names are plain identifiers, so nothing needs escaping). */
  public String sql() {
    return "'" + name() + "'";
  }

  /**
   * The column the delivery queue's partial indexes are over (V11): a store-and-forward message's state,
   * generated from {@code state}, and NULL for a pass-through, so that a pass-through's answer changes no
   * indexed column and is a HOT update. The queue's SQL names it ({@code isIn(QUEUE_STATE, ...)},
   * {@code movingTo(QUEUE_STATE, ...)}); every row's moves still set {@code state}.
   */
  public static final String QUEUE_STATE = "queue_state";

  /**
   * {@code state = 'A'} or {@code state IN ('A', 'B')}, with literals, not parameters: the partial
   * indexes on {@code message} carry literal state predicates, and the planner uses one only when it can
   * see the query's predicate implies the index's.
   */
  public static String isIn(MessageState... states) {
    return isIn("state", states);
  }

  /** {@link #isIn(MessageState...)} on a qualified column, e.g. {@code h.state}. */
  public static String isIn(String column, MessageState... states) {
    if (states.length == 0) {
      throw new IllegalArgumentException("no states");
    }
    return states.length == 1 ? column + " = " + states[0].sql() : column + " IN " + list(states);
  }

  /** {@code state NOT IN ('A', 'B')}. */
  public static String notIn(MessageState... states) {
    return notIn("state", states);
  }

  /** {@link #notIn(MessageState...)} on another column, e.g. {@link #QUEUE_STATE}. */
  public static String notIn(String column, MessageState... states) {
    if (states.length == 0) {
      throw new IllegalArgumentException("no states");
    }
    return column + " NOT IN " + list(states);
  }

  /**
   * The guard of an UPDATE that sets {@code to} on rows in one of {@code from}: {@link #isIn} over
   * {@code from}, after checking each of those moves is allowed.
   *
   * @throws IllegalStateException if the table above does not allow one of the moves
   */
  public static String movingTo(MessageState to, MessageState... from) {
    return movingTo("state", to, from);
  }

  /** {@link #movingTo(MessageState, MessageState...)} guarding on another column, e.g. {@link #QUEUE_STATE}. */
  public static String movingTo(String column, MessageState to, MessageState... from) {
    for (MessageState f : from) {
      requireMove(f, to);
    }
    return isIn(column, from);
  }

  /**
   * The guard of an UPDATE that sets {@code to} on rows of {@code to}'s delivery mode in any state but
   * {@code excluded} (the caller also restricts the delivery column): {@link #notIn} over
   * {@code excluded}, after checking every other state of that mode may move to {@code to}.
   */
  public static String movingToFromAnyBut(MessageState to, MessageState... excluded) {
    return movingToFromAnyBut("state", to, excluded);
  }

  /** {@link #movingToFromAnyBut(MessageState, MessageState...)} guarding on another column. */
  public static String movingToFromAnyBut(String column, MessageState to, MessageState... excluded) {
    Set<MessageState> rest = EnumSet.allOf(MessageState.class);
    rest.removeAll(Arrays.asList(excluded));
    rest.removeIf(s -> s.delivery != to.delivery);
    rest.forEach(f -> requireMove(f, to));
    return notIn(column, excluded);
  }

  private static void requireMove(MessageState from, MessageState to) {
    if (!from.canMoveTo(to)) {
      throw new IllegalStateException("MessageState allows no move " + from + " -> " + to
          + "; add it to the table (and its documentation) if the code really makes it");
    }
  }

  private static String list(MessageState... states) {
    return Arrays.stream(states).map(MessageState::sql).collect(Collectors.joining(", ", "(", ")"));
  }
}
