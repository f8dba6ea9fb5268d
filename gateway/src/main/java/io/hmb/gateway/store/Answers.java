package io.hmb.gateway.store;

import io.hmb.gateway.audit.AuditEvent;
import io.hmb.gateway.audit.AuditLog;
import io.hmb.gateway.db.BatchedWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * Pass-throughs' answers as one statement for all that share a group-commit batch: each stored on its message
 * row (for idempotent retries; a re-asked expired answer replaces the stored one, so later retries get the fresh
 * envelope) and audited as ANSWERED. The update changes no indexed column, so it stays a HOT update (V11).
 *
 * <p>As if one after the other: of two answers for one row in a batch (two retries of one unanswered key), the
 * later one is stored, and both are audited, in the batch's order.
 */
final class Answers implements BatchedWork<Answers.Item, Void> {
  static final Answers INSTANCE = new Answers();

  record Item(long rowId, MessageRef ref, byte[] response, Instant now) {}

  private static final String RECORD = "WITH answer AS (SELECT * FROM unnest(?::bigint[], ?::bytea[], "
      + "?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[]) WITH ORDINALITY "
      + "AS a(id, response, at, message_id, sender, recipient, message_type, admdvs, ciphertext_digest, n)), "
      + "stored AS (UPDATE message SET state = " + MessageState.ANSWERED.sql() + ", response = last.response, "
      + "delivered_at = last.at FROM (SELECT DISTINCT ON (id) id, response, at FROM answer ORDER BY id, n DESC) last "
      + "WHERE message.id = last.id AND " + MessageState.movingTo(MessageState.ANSWERED, MessageState.FORWARDING,
      MessageState.FAILED, MessageState.ANSWERED) + ") "
      + "INSERT INTO audit_event(" + AuditLog.COLUMNS + ") SELECT at, '" + AuditEvent.ANSWERED.name() + "', "
      + "message_id, sender, recipient, message_type, admdvs, ciphertext_digest, '' FROM answer ORDER BY n";

  private Answers() {}

  @Override
  public List<Void> applyAll(Connection c, List<Item> items) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RECORD)) {
      int p = 0;
      s.setArray(++p, c.createArrayOf("bigint", items.stream().map(Item::rowId).toArray(Long[]::new)));
      s.setArray(++p, ColumnArrays.bytes(c, items, Item::response));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.now().toString()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.ref().messageId()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.ref().sender()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.ref().recipient()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.ref().messageType()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.ref().admdvs()));
      s.setArray(++p, ColumnArrays.bytes(c, items, i -> i.ref().ciphertextDigest()));
      s.executeUpdate(); // the answers and their events, in one round trip
    }
    return Collections.nCopies(items.size(), null);
  }
}
