package io.hmb.gateway.store;

import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import io.hmb.gateway.audit.AuditEvent;
import io.hmb.gateway.audit.AuditLog;
import io.hmb.gateway.db.TransactionRunner;
import io.hmb.gateway.intake.Delivery;
import io.hmb.security.EnvelopeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;

/**
 * Exactly-once admission of messages. One transaction inserts the message row and its audit row, under
 * unique constraints on message_id, (sender, idempotency_key) and (sender, nonce):
 * <ul>
 *   <li>an identical resend (same message_id, same ciphertext) gets the stored answer;</li>
 *   <li>a retry with the same idempotency key and the same content digest gets the stored answer
 *       (or, for a pass-through not yet answered, is forwarded again: the recipient deduplicates by the
 *       idempotency key, which travels in the header);</li>
 *   <li>the same idempotency key with another content digest, or for another recipient, admdvs or
 *       product_code: IDEMPOTENCY_KEY_REUSED (the digest covers only the payload);</li>
 *   <li>a message_id or nonce reused for other content: REPLAYED.</li>
 * </ul>
 * A stored rejection is not replayed: nothing is stored for a rejected message, so a corrected resend
 * with the same key is judged afresh (unlike TigerBeetle's id_already_failed; a refusal here is about the
 * envelope, which the sender can fix, not about the operation).
 */
public final class MessageStore implements MessageRecords {
  /** Failed, or failed again on a retry with the same key; never once answered. */
  private static final String RECORD_FORWARD_FAILURE = "UPDATE message SET state = " + MessageState.FAILED.sql()
      + ", last_error = ? WHERE id = ? AND response IS NULL AND "
      + MessageState.movingTo(MessageState.FAILED, MessageState.FORWARDING, MessageState.FAILED);

  private final TransactionRunner tx;

  /** Over {@code Transactions} each record commits alone; over {@code GroupCommit} concurrent ones share a commit. */
  public MessageStore(TransactionRunner tx) {
    this.tx = tx;
  }

  /** A message about to be admitted. {@code envelope} is kept only for store-and-forward delivery. */
  public record Incoming(MessageRef ref, String productCode, String idempotencyKey, byte[] contentDigest,
      byte[] nonce, Delivery delivery, byte[] envelope, Instant expireAt, Durability durability) {}

  /**
   * How a message's rows reach the disk. SYNCHRONOUS: the commit returns once the WAL is flushed.
   * ASYNCHRONOUS ({@code synchronous_commit = off} for that transaction only): the commit returns at
   * once and PostgreSQL flushes within about 3 x wal_writer_delay (600 ms by default). A crash of the
   * database server can then lose the last such records, never a later synchronous one (the WAL is
   * written in order) and never a row half-written. The pipeline uses it only for questions: see
   * {@code GatewayConfig.asyncCommitForQuestions}.
   */
  public enum Durability {
    SYNCHRONOUS, ASYNCHRONOUS;

    /**
     * A question (pass-through without an idempotency key: coverage, insured status, a non-binding
     * quote) changes nothing anywhere, so asking it again is harmless: if the operator chose so, its
     * records commit without waiting for the disk. Everything with a key, and everything stored and
     * forwarded, always waits.
     */
    public static Durability of(boolean asyncCommitForQuestions, Delivery delivery, String idempotencyKey) {
      return asyncCommitForQuestions && delivery == Delivery.PASS_THROUGH && idempotencyKey.isEmpty()
          ? ASYNCHRONOUS : SYNCHRONOUS;
    }
  }

  /**
   * Records a message. For store-and-forward, {@code acceptance} is the answer stored with it (the
   * caller's Acceptance), committed in the same transaction.
   */
  @Override
  public Admission admit(Incoming m, Instant now, byte[] acceptance) throws SQLException {
    return tx.inTransaction(m.durability() == Durability.SYNCHRONOUS, Admissions.INSTANCE,
        new Admissions.Item(m, now, acceptance));
  }

  /** The insert hit a unique constraint: decide between stored answer, retry, reuse and replay. */
  static Admission existing(Connection c, Incoming m, Instant now) throws SQLException {
    MessageRef r = m.ref();
    try (PreparedStatement s = c.prepareStatement("SELECT id, sender, ciphertext_digest, response, state "
        + "FROM message WHERE message_id = ?")) {
      s.setString(1, r.messageId());
      try (ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          boolean identical = rs.getString(2).equals(r.sender()) && Arrays.equals(rs.getBytes(3), r.ciphertextDigest());
          if (!identical) {
            throw Errors.of(ErrorReason.REPLAYED, EnvelopeException.replayedMessage(r.messageId(), r.sender()));
          }
          return answeredOrNot(rs.getLong(1), rs.getBytes(4), rs.getString(5));
        }
      }
    }
    if (m.idempotencyKey() != null && !m.idempotencyKey().isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("SELECT id, content_digest, response, state, message_type, "
          + "recipient, admdvs, product_code FROM message WHERE sender = ? AND idempotency_key = ? FOR UPDATE")) {
        s.setString(1, r.sender());
        s.setString(2, m.idempotencyKey());
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            if (!Arrays.equals(rs.getBytes(2), m.contentDigest()) || !rs.getString(5).equals(r.messageType())) {
              throw Errors.of(ErrorReason.IDEMPOTENCY_KEY_REUSED, "idempotency key " + m.idempotencyKey()
                  + " was already used by " + r.sender() + " for different content",
                  java.util.Map.of("field", "idempotency_key"));
            }
            // The content digest covers the payload only: a retry must also be addressed as the first was.
            String addressedDifferently = sameOperationTo(rs.getString(6), rs.getString(7), rs.getString(8), m);
            if (addressedDifferently != null) {
              throw Errors.of(ErrorReason.IDEMPOTENCY_KEY_REUSED, "idempotency key " + m.idempotencyKey()
                  + " was already used by " + r.sender() + " for a message with another " + addressedDifferently,
                  java.util.Map.of("field", "idempotency_key"));
            }
            long rowId = rs.getLong(1);
            Admission admission = answeredOrNot(rowId, rs.getBytes(3), rs.getString(4));
            if (admission instanceof Admission.Unanswered) {
              AuditLog.append(c, now, AuditEvent.FORWARDED, r, "retry of idempotency key");
            }
            return admission;
          }
        }
      }
    }
    throw Errors.of(ErrorReason.REPLAYED, EnvelopeException.replayedMessage(r.messageId(), r.sender()));
  }

  /**
   * Which header field of {@code m} differs from the first message under its key (recipient, admdvs,
   * product_code), or null when it is addressed the same: the same key to another recipient is another
   * operation, not a retry, and must not get the first message's answer while the second is dropped.
   */
  public static String sameOperationTo(String recipient, String admdvs, String productCode, Incoming m) {
    if (!recipient.equals(m.ref().recipient())) {
      return "recipient";
    }
    if (!admdvs.equals(m.ref().admdvs())) {
      return "admdvs";
    }
    if (!java.util.Objects.equals(productCode, emptyToNull(m.productCode()))) {
      return "product_code";
    }
    return null;
  }

  private static Admission answeredOrNot(long rowId, byte[] response, String state) {
    return response != null ? new Admission.Answered(rowId, response) : new Admission.Unanswered(rowId);
  }

  /** A pass-through's answer: stored for idempotent retries, audited. */
  @Override
  public void recordAnswer(long rowId, MessageRef ref, byte[] response, Instant now, Durability durability)
      throws SQLException {
    tx.inTransaction(durability == Durability.SYNCHRONOUS, Answers.INSTANCE,
        new Answers.Item(rowId, ref, response, now));
  }

  /** A pass-through that failed at the recipient; a retry with the same key forwards again. */
  @Override
  public void recordForwardFailure(long rowId, MessageRef ref, String why, Instant now) throws SQLException {
    tx.inTransaction(true, c -> {
      try (PreparedStatement s = c.prepareStatement(RECORD_FORWARD_FAILURE)) {
        s.setString(1, why);
        s.setLong(2, rowId);
        s.executeUpdate();
      }
      AuditLog.append(c, now, AuditEvent.FORWARD_FAILED, ref, why);
      return null;
    });
  }

  /** An envelope refused after its signature verified (e.g. not authorised), for the record. */
  @Override
  public void recordRejection(MessageRef ref, String why, Instant now) throws SQLException {
    tx.inTransaction(true, c -> {
      AuditLog.append(c, now, AuditEvent.REJECTED, ref, why);
      return null;
    });
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
