package io.hmb.gateway.store;

import java.sql.SQLException;
import java.time.Instant;

/**
 * What the message pipeline needs of the message table: admit a message exactly once, record how a
 * pass-through ended, and audit a refusal of a verified envelope. {@link MessageStore} implements it
 * over PostgreSQL (see its class comment for the admission rules); a test can record in memory.
 *
 * <p>{@link #admit} may also refuse with a gRPC status (IDEMPOTENCY_KEY_REUSED, REPLAYED); an
 * {@link SQLException} means nothing was recorded.
 */
public interface MessageRecords {
  /** Records a message, or says what was recorded before under its id or idempotency key. */
  Admission admit(MessageStore.Incoming m, Instant now, byte[] acceptance) throws SQLException;

  /** A pass-through's answer, stored for idempotent retries. */
  void recordAnswer(long rowId, MessageRef ref, byte[] response, Instant now, MessageStore.Durability durability)
      throws SQLException;

  /** A pass-through that failed at the recipient; a retry with the same key forwards again. */
  void recordForwardFailure(long rowId, MessageRef ref, String why, Instant now) throws SQLException;

  /** An envelope refused after its signature verified (e.g. not authorised), for the audit trail only. */
  void recordRejection(MessageRef ref, String why, Instant now) throws SQLException;
}
