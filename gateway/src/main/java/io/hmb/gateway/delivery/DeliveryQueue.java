package io.hmb.gateway.delivery;

import static io.hmb.gateway.store.MessageState.ACCEPTED;
import static io.hmb.gateway.store.MessageState.QUEUE_STATE;
import static io.hmb.gateway.store.MessageState.ACKNOWLEDGED;
import static io.hmb.gateway.store.MessageState.DEAD_LETTERED;
import static io.hmb.gateway.store.MessageState.DELIVERED;
import static io.hmb.gateway.store.MessageState.DELIVERING;
import static io.hmb.gateway.store.MessageState.RETRY_WAIT;
import static io.hmb.gateway.store.MessageState.isIn;
import static io.hmb.gateway.store.MessageState.movingTo;
import static io.hmb.gateway.store.MessageState.movingToFromAnyBut;

import io.hmb.gateway.audit.AuditEvent;
import io.hmb.gateway.audit.AuditLog;
import io.hmb.gateway.db.Transactions;
import io.hmb.gateway.store.MessageRef;
import io.hmb.gateway.store.MessageState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The store-and-forward delivery queue: which pairs are due for a push, push claims per
 * sender-recipient pair, inbox claims for subscriber streams, acknowledgements, dead letters and the
 * operator's redrive. Every state change writes its audit row in the same transaction. Claims are
 * leases: a node that dies holding one loses it when the lease ends. Its statements set {@code state} and
 * test {@link MessageState#QUEUE_STATE}, the column the queue's partial indexes are over.
 */
public final class DeliveryQueue {
  private static final String CLAIM_COLUMNS = "id, message_id, sender, recipient, message_type, admdvs, "
      + "ciphertext_digest, envelope, attempts, received_at, expire_at";
  /** Waiting for a push or being pushed: the rows a push claim may take (moving them to DELIVERING). */
  private static final String PENDING = "delivery = 'STORE_AND_FORWARD' AND "
      + movingTo(QUEUE_STATE, DELIVERING, ACCEPTED, RETRY_WAIT, DELIVERING);
  // The statements are built once, from MessageState, so a move its table does not allow stops this
  // class from loading. State predicates stay literals on queue_state: the partial indexes (V11) need them.
  // Only the backlogs of recipients with an endpoint are read: most recipients subscribe to their inbox, and the
  // pending messages of all of them, read on every wake-up, were the most expensive statement of a settlement.
  private static final String DUE_PUSH_PAIRS = "SELECT h.sender, p.code, p.endpoint FROM participant p"
      + " CROSS JOIN LATERAL (SELECT DISTINCT ON (sender) sender, state, next_attempt_at, lease_until"
      + " FROM message WHERE recipient = p.code AND " + PENDING + " ORDER BY sender, id) h"
      + " WHERE p.endpoint IS NOT NULL AND p.status = 'ACTIVE'"
      + " AND ((" + isIn("h.state", ACCEPTED, RETRY_WAIT) + " AND h.next_attempt_at <= ?)"
      + "    OR (" + isIn("h.state", DELIVERING) + " AND h.lease_until < ?)) ORDER BY h.sender, p.code LIMIT ?";
  private static final String PAIR_HEAD = "SELECT state, next_attempt_at, lease_until FROM message "
      + "WHERE sender = ? AND recipient = ? AND " + PENDING + " ORDER BY id LIMIT 1";
  private static final String CLAIM_PAIR = "UPDATE message SET state = " + DELIVERING.sql() + ", lease_until = ?, "
      + "attempts = attempts + 1 WHERE id IN (SELECT id FROM message WHERE sender = ? AND recipient = ? AND "
      + PENDING + " ORDER BY id LIMIT ?) AND " + PENDING + " RETURNING " + CLAIM_COLUMNS;
  /** Waiting in a recipient's inbox; the claim reads them through the partial index message_waiting (V14). */
  private static final String INBOX_WAITING = movingTo(QUEUE_STATE, DELIVERED, ACCEPTED, RETRY_WAIT);
  /**
   * Whose lease ended: handed to a subscriber stream whose acknowledgement did not come in time, or a push whose
   * worker died; the inbox delivers either again. Read through message_leases (V14).
   */
  private static final String INBOX_LEASE_ENDED = "delivery = 'STORE_AND_FORWARD' AND "
      + movingTo(QUEUE_STATE, DELIVERED, DELIVERED, DELIVERING) + " AND lease_until < ?";
  // One statement: the room left under the recipient's in-flight limit, the oldest of its waiting messages and of
  // those whose lease ended (each read through its own partial index, and no further than that room: MATERIALIZED
  // keeps each planned on its own), the claim, and a DELIVERED audit event per message claimed.
  // Its generic plan must not hang on statistics, which may predate the backlog and then show the partial indexes
  // empty (InboxStaleStatisticsPlanTest; under the bench's load such a plan read the recipient's whole backlog
  // twice, 32 ms a claim). So: OFFSET 0 keeps the scan for ended leases apart from its ORDER BY id (else it walked
  // message_inbox in id order, filtering out everything in flight and waiting); the claimable rows are looked up by
  // the ids chosen (= ANY(ARRAY(...)), an index condition on the key); and their state, tested again under their
  // lock, is a CASE, which no partial index's predicate matches (as an OR it was planned as bitmap scans of
  // message_waiting and message_leases for every recipient).
  // A suspended recipient receives nothing, even on a stream it opened before it was suspended. It returns the room
  // found, with each message claimed or alone in a row without one, so that the stream knows when the window is
  // full (InboxService: then a newly accepted message is no reason to claim again).
  static final String CLAIM_INBOX = AuditLog.withEventPerRow(
      "room AS MATERIALIZED (SELECT greatest(? - count(*), 0) AS n FROM message WHERE recipient = ? AND "
      + "delivery = 'STORE_AND_FORWARD' AND " + isIn(QUEUE_STATE, DELIVERED) + " AND lease_until > ?), "
      + "lease_ended AS MATERIALIZED (SELECT id FROM (SELECT id FROM message WHERE recipient = ? AND "
      + INBOX_LEASE_ENDED + " OFFSET 0) ended ORDER BY id LIMIT (SELECT n FROM room)), "
      + "waiting AS MATERIALIZED (SELECT id FROM message WHERE recipient = ? AND " + INBOX_WAITING
      + " ORDER BY id LIMIT (SELECT n FROM room)), "
      + "claimable AS (SELECT id FROM message WHERE id = ANY(ARRAY(SELECT id FROM lease_ended UNION ALL "
      + "SELECT id FROM waiting)) "
      + "AND EXISTS (SELECT 1 FROM participant p WHERE p.code = message.recipient AND p.status = 'ACTIVE') "
      + "AND CASE WHEN " + INBOX_WAITING + " THEN true WHEN " + movingTo(QUEUE_STATE, DELIVERED, DELIVERED, DELIVERING)
      + " THEN lease_until < ? ELSE false END "
      + "ORDER BY id LIMIT (SELECT n FROM room) FOR UPDATE SKIP LOCKED),",
      "UPDATE message SET state = " + DELIVERED.sql() + ", lease_until = ?, attempts = attempts + 1, delivered_at = ? "
      + "WHERE id IN (SELECT id FROM claimable) RETURNING " + CLAIM_COLUMNS,
      // One row per message claimed, or one without a message when none was: the room is known either way.
      "SELECT change.*, room.n AS room FROM room LEFT JOIN change ON true");
  private static final int CLAIM_INBOX_PARAMETERS = 9;
  private static final String EXTEND_LEASE =
      "UPDATE message SET lease_until = ? WHERE id = ANY(?) AND " + isIn(QUEUE_STATE, DELIVERING);
  private static final String ACKNOWLEDGE_PUSH = "UPDATE message SET state = " + ACKNOWLEDGED.sql()
      + ", lease_until = NULL, delivered_at = ?, acknowledged_at = ? WHERE id = ? AND "
      + movingTo(QUEUE_STATE, ACKNOWLEDGED, DELIVERING);
  /** The acknowledgement and an ACKNOWLEDGED audit event per message it moved, in one statement. */
  // The messages it names are found by message_id first (MATERIALIZED: planned alone, through the message_id key),
  // then updated by id. With the recipient and the queue's predicate in one WHERE, PostgreSQL's generic plan read
  // the recipient's whole backlog through message_pair_order and tested each row against every id named (found on
  // the bench's table, whose statistics predate its backlog); InboxStaleStatisticsPlanTest pins it. The update's own
  // WHERE leaves out the delivery column so that it implies no queue index's predicate: queue_state is NULL for a
  // pass-through, which NOT IN therefore excludes too.
  static final String ACKNOWLEDGE_INBOX = AuditLog.withEventPerRow("WITH named AS MATERIALIZED (SELECT id FROM "
      + "message WHERE message_id = ANY(?) AND recipient = ?) UPDATE message SET state = " + ACKNOWLEDGED.sql()
      + ", lease_until = NULL, acknowledged_at = ? WHERE id = ANY(ARRAY(SELECT id FROM named)) AND "
      + movingToFromAnyBut(QUEUE_STATE, ACKNOWLEDGED, ACKNOWLEDGED, DEAD_LETTERED)
      + " RETURNING id, message_id, sender, recipient, message_type, admdvs, ciphertext_digest");
  static final int ACKNOWLEDGE_INBOX_PARAMETERS = 3;
  private static final String ALREADY_ACKNOWLEDGED = "SELECT message_id FROM message WHERE recipient = ? "
      + "AND message_id = ANY(?) AND " + isIn(QUEUE_STATE, ACKNOWLEDGED);
  private static final String PUSH_FAILED_RETRY = pushFailed(RETRY_WAIT);
  private static final String PUSH_FAILED_LAST = pushFailed(DEAD_LETTERED);
  private static final String RELEASE_BEHIND = "UPDATE message SET state = " + RETRY_WAIT.sql() + ", lease_until = NULL, "
      + "attempts = attempts - 1, next_attempt_at = ? WHERE id = ? AND " + movingTo(QUEUE_STATE, RETRY_WAIT, DELIVERING);
  private static final String DEAD_LETTER_INBOX = "UPDATE message SET state = " + DEAD_LETTERED.sql()
      + ", lease_until = NULL, last_error = 'no acknowledgement after ' || attempts || ' deliveries' WHERE recipient = ? "
      + "AND delivery = 'STORE_AND_FORWARD' AND " + movingTo(QUEUE_STATE, DEAD_LETTERED, DELIVERED)
      + " AND lease_until < ? AND attempts >= ? "
      + "RETURNING message_id, sender, recipient, message_type, admdvs, ciphertext_digest";
  private static final String DEAD_LETTERS = "SELECT message_id, sender, recipient, message_type, attempts, "
      + "coalesce(last_error, ''), received_at FROM message WHERE " + isIn(QUEUE_STATE, DEAD_LETTERED) + " ORDER BY id LIMIT ?";
  private static final String REDRIVE = "UPDATE message SET state = " + ACCEPTED.sql() + ", attempts = 0, "
      + "next_attempt_at = ?, lease_until = NULL, last_error = NULL WHERE " + movingTo(QUEUE_STATE, ACCEPTED, DEAD_LETTERED)
      + " AND (?::text IS NULL OR message_id = ?) RETURNING message_id, sender, recipient, message_type, admdvs, "
      + "ciphertext_digest";

  private static String pushFailed(MessageState to) {
    return "UPDATE message SET state = " + to.sql() + ", lease_until = NULL, next_attempt_at = ?, last_error = ? "
        + "WHERE id = ? AND " + movingTo(QUEUE_STATE, to, DELIVERING);
  }

  private final Transactions tx;

  public DeliveryQueue(Transactions tx) {
    this.tx = tx;
  }

  /** A sender-recipient pair whose oldest pending message is due for a push. */
  record DuePair(String sender, String recipient, String endpoint) {}

  List<DuePair> duePushPairs(Instant now, int limit) throws SQLException {
    return tx.read(c -> {
      try (PreparedStatement s = c.prepareStatement(DUE_PUSH_PAIRS)) {
        s.setTimestamp(1, Timestamp.from(now));
        s.setTimestamp(2, Timestamp.from(now));
        s.setInt(3, limit);
        List<DuePair> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(new DuePair(rs.getString(1), rs.getString(2), rs.getString(3)));
          }
        }
        return out;
      }
    });
  }

  /**
   * Claims the consecutive pending messages at the head of a pair, in acceptance order, if no other
   * worker holds the pair and its head is due. Empty when someone else has it.
   */
  List<ClaimedMessage> claimPair(String sender, String recipient, Instant now, Instant leaseUntil, int limit)
      throws SQLException {
    return tx.inTransaction(c -> {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext(? || '>' || ?))")) {
        lock.setString(1, sender);
        lock.setString(2, recipient);
        try (ResultSet rs = lock.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            return List.of();
          }
        }
      }
      try (PreparedStatement head = c.prepareStatement(PAIR_HEAD)) {
        head.setString(1, sender);
        head.setString(2, recipient);
        try (ResultSet rs = head.executeQuery()) {
          if (!rs.next()) {
            return List.of();
          }
          boolean pushing = MessageState.valueOf(rs.getString(1)) == DELIVERING;
          boolean leased = pushing && rs.getTimestamp(3).toInstant().isAfter(now);
          boolean waiting = !pushing && rs.getTimestamp(2).toInstant().isAfter(now);
          if (leased || waiting) {
            return List.of();
          }
        }
      }
      // The outer state test is re-checked on a row another transaction changed meanwhile (an inbox
      // claim by a recipient that also has an endpoint); the subquery's snapshot alone would not be.
      try (PreparedStatement s = c.prepareStatement(CLAIM_PAIR)) {
        s.setTimestamp(1, Timestamp.from(leaseUntil));
        s.setString(2, sender);
        s.setString(3, recipient);
        s.setInt(4, limit);
        List<ClaimedMessage> out = read(s);
        out.sort(java.util.Comparator.comparingLong(ClaimedMessage::rowId));
        return out;
      }
    });
  }

  /**
   * What an inbox claim took, and whether that used up the room it found under the in-flight limit (then nothing more
   * can be handed out before an acknowledgement or an ended lease; nothing taken says nothing about the room).
   */
  record InboxClaim(List<ClaimedMessage> messages, boolean filledWindow) {}

  /**
   * Claims a recipient's inbox messages for a subscriber stream, oldest first: no more than {@code maxInFlight}
   * handed out and not yet acknowledged, counting those already out whose lease has not ended.
   */
  InboxClaim claimInbox(String recipient, Instant now, Instant leaseUntil, int maxInFlight) throws SQLException {
    return tx.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(CLAIM_INBOX)) {
        Timestamp at = Timestamp.from(now);
        s.setInt(1, maxInFlight);
        s.setString(2, recipient);
        s.setTimestamp(3, at);
        s.setString(4, recipient);
        s.setTimestamp(5, at);
        s.setString(6, recipient);
        s.setTimestamp(7, at);
        s.setTimestamp(8, Timestamp.from(leaseUntil));
        s.setTimestamp(9, at);
        AuditLog.bindEachRow(s, CLAIM_INBOX_PARAMETERS, now, AuditEvent.DELIVERED, "inbox");
        List<ClaimedMessage> out = new ArrayList<>();
        long room = 0;
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            room = rs.getLong("room");
            if (rs.getObject("id") != null) { // the row without a message, when none was claimed
              out.add(claimed(rs));
            }
          }
        }
        out.sort(java.util.Comparator.comparingLong(ClaimedMessage::rowId));
        // Full also when there was no room at all: a message accepted then is no reason to claim again.
        return new InboxClaim(out, out.size() >= room);
      }
    });
  }

  /** Keeps a claim on messages a worker is still pushing. */
  void extendLease(List<ClaimedMessage> claimed, Instant leaseUntil) throws SQLException {
    tx.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(EXTEND_LEASE)) {
        s.setTimestamp(1, Timestamp.from(leaseUntil));
        s.setArray(2, c.createArrayOf("bigint", claimed.stream().map(ClaimedMessage::rowId).toArray()));
        return s.executeUpdate();
      }
    });
  }

  /** The recipient confirmed a pushed message. */
  void acknowledged(ClaimedMessage m, Instant now) throws SQLException {
    tx.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(ACKNOWLEDGE_PUSH)) {
        s.setTimestamp(1, Timestamp.from(now));
        s.setTimestamp(2, Timestamp.from(now));
        s.setLong(3, m.rowId());
        if (s.executeUpdate() == 1) {
          AuditLog.append(c, now, AuditEvent.ACKNOWLEDGED, m.ref(), "push attempt " + m.attempts());
        }
      }
      return null;
    });
  }

  /** Acknowledgements from an inbox subscriber; returns the message ids that moved to ACKNOWLEDGED. */
  List<String> acknowledgeInbox(String recipient, List<String> messageIds, Instant now) throws SQLException {
    return tx.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(ACKNOWLEDGE_INBOX)) {
        s.setArray(1, c.createArrayOf("text", messageIds.toArray()));
        s.setString(2, recipient);
        s.setTimestamp(3, Timestamp.from(now));
        AuditLog.bindEachRow(s, ACKNOWLEDGE_INBOX_PARAMETERS, now, AuditEvent.ACKNOWLEDGED, "inbox");
        List<String> done = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            done.add(rs.getString(2));
          }
        }
        return done;
      }
    });
  }

  /** Which of these ids address this recipient and are already acknowledged (idempotent acks). */
  List<String> alreadyAcknowledged(String recipient, List<String> messageIds) throws SQLException {
    return tx.read(c -> {
      try (PreparedStatement s = c.prepareStatement(ALREADY_ACKNOWLEDGED)) {
        s.setString(1, recipient);
        s.setArray(2, c.createArrayOf("text", messageIds.toArray()));
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
        return out;
      }
    });
  }

  /**
   * A push failed: retry later, or dead-letter after the last attempt. The messages claimed behind it
   * go back to waiting without losing an attempt, so the pair stays in order.
   */
  void failed(ClaimedMessage m, List<ClaimedMessage> releasedBehind, String why, boolean deadLetter,
      Instant nextAttempt, Instant now) throws SQLException {
    tx.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(deadLetter ? PUSH_FAILED_LAST : PUSH_FAILED_RETRY)) {
        s.setTimestamp(1, Timestamp.from(nextAttempt));
        s.setString(2, why);
        s.setLong(3, m.rowId());
        if (s.executeUpdate() == 1) {
          AuditLog.append(c, now, deadLetter ? AuditEvent.DEAD_LETTERED : AuditEvent.DELIVERY_FAILED, m.ref(),
              "attempt " + m.attempts() + ": " + why);
        }
      }
      for (ClaimedMessage behind : releasedBehind) {
        try (PreparedStatement s = c.prepareStatement(RELEASE_BEHIND)) {
          s.setTimestamp(1, Timestamp.from(deadLetter ? now : nextAttempt));
          s.setLong(2, behind.rowId());
          s.executeUpdate();
        }
      }
      return null;
    });
  }

  /** Inbox messages that used up their attempts without an acknowledgement. */
  int deadLetterExhaustedInbox(String recipient, int maxAttempts, Instant now) throws SQLException {
    return tx.inTransaction(c -> {
      int n = 0;
      try (PreparedStatement s = c.prepareStatement(DEAD_LETTER_INBOX)) {
        s.setString(1, recipient);
        s.setTimestamp(2, Timestamp.from(now));
        s.setInt(3, maxAttempts);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            AuditLog.append(c, now, AuditEvent.DEAD_LETTERED, new MessageRef(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getBytes(6)), "inbox: no acknowledgement");
            n++;
          }
        }
      }
      return n;
    });
  }

  private static List<ClaimedMessage> read(PreparedStatement s) throws SQLException {
    List<ClaimedMessage> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.add(claimed(rs));
      }
    }
    return out;
  }

  /** A row of {@link #CLAIM_COLUMNS}. */
  private static ClaimedMessage claimed(ResultSet rs) throws SQLException {
    MessageRef ref = new MessageRef(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getBytes(7));
    return new ClaimedMessage(rs.getLong(1), ref, rs.getBytes(8), rs.getInt(9),
        rs.getTimestamp(10).toInstant(), rs.getTimestamp(11).toInstant());
  }


  /** A dead-lettered message, for operators. */
  public record DeadLetter(String messageId, String sender, String recipient, String messageType, int attempts,
      String lastError, Instant receivedAt) {}

  public List<DeadLetter> deadLetters(int limit) throws SQLException {
    return tx.read(c -> {
      try (PreparedStatement s = c.prepareStatement(DEAD_LETTERS)) {
        s.setInt(1, limit);
        List<DeadLetter> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(new DeadLetter(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getString(6), rs.getTimestamp(7).toInstant()));
          }
        }
        return out;
      }
    });
  }

  /** Puts dead-lettered messages back in the outbox with fresh attempts; null id means all. */
  public int redrive(String messageIdOrNull, Instant now) throws SQLException {
    return tx.inTransaction(c -> {
      int n = 0;
      try (PreparedStatement s = c.prepareStatement(REDRIVE)) {
        s.setTimestamp(1, Timestamp.from(now));
        s.setString(2, messageIdOrNull);
        s.setString(3, messageIdOrNull);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            AuditLog.append(c, now, AuditEvent.REDRIVEN, new MessageRef(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getBytes(6)), "operator");
            n++;
          }
        }
      }
      return n;
    });
  }
}
