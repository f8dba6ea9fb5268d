package io.hmb.gateway.store;

import io.hmb.gateway.audit.AuditEvent;
import io.hmb.gateway.audit.AuditLog;
import io.hmb.gateway.db.BatchedWork;
import io.hmb.gateway.intake.Delivery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Admissions as one statement for all that share a group-commit batch: the message rows, each with its audit
 * event (ACCEPTED for store-and-forward, FORWARDED for a pass-through), inserted from arrays, one row per
 * admission; a row a unique constraint holds is left out, with its event, and that admission is then decided
 * as {@link MessageStore} decides any resend (stored answer, retry, key reused, replay). Alone, an admission
 * is the same statement with one row.
 *
 * <p>As if one after the other: two admissions of one batch that collide (a resend racing its original) are
 * one row inserted and one resend found, in the batch's order.
 */
final class Admissions implements BatchedWork<Admissions.Item, Admission> {
  static final Admissions INSTANCE = new Admissions();

  /** One caller's admission: the message, the gateway's clock, and the stored answer of a store-and-forward. */
  record Item(MessageStore.Incoming message, Instant now, byte[] acceptance) {}

  private static final String COLUMNS = "message_id, sender, recipient, message_type, admdvs, product_code, "
      + "idempotency_key, content_digest, nonce, ciphertext_digest, delivery, state, envelope, response, "
      + "next_attempt_at, received_at, expire_at";
  private static final String ADMIT = "WITH change AS (INSERT INTO message(" + COLUMNS + ") SELECT * FROM unnest("
      + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bytea[], ?::bytea[], "
      + "?::bytea[], ?::text[], ?::text[], ?::bytea[], ?::bytea[], ?::timestamptz[], ?::timestamptz[], "
      + "?::timestamptz[]) ON CONFLICT DO NOTHING RETURNING id, message_id, sender, recipient, message_type, admdvs, "
      + "ciphertext_digest, delivery, received_at), "
      + "event AS (INSERT INTO audit_event(" + AuditLog.COLUMNS + ") SELECT received_at, "
      + "CASE delivery WHEN '" + Delivery.STORE_AND_FORWARD.name() + "' THEN '" + AuditEvent.ACCEPTED.name()
      + "' ELSE '" + AuditEvent.FORWARDED.name() + "' END, message_id, "
      + "sender, recipient, message_type, admdvs, ciphertext_digest, delivery FROM change ORDER BY id) "
      + "SELECT id, message_id FROM change";

  private Admissions() {}

  @Override
  public List<Admission> applyAll(Connection c, List<Item> items) throws SQLException {
    Map<String, Long> inserted = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(ADMIT)) {
      int p = 0;
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.message().ref().messageId()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.message().ref().sender()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.message().ref().recipient()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.message().ref().messageType()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.message().ref().admdvs()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> MessageStore.emptyToNull(i.message().productCode())));
      s.setArray(++p, ColumnArrays.text(c, items, i -> MessageStore.emptyToNull(i.message().idempotencyKey())));
      s.setArray(++p, ColumnArrays.bytes(c, items, i -> i.message().contentDigest()));
      s.setArray(++p, ColumnArrays.bytes(c, items, i -> i.message().nonce()));
      s.setArray(++p, ColumnArrays.bytes(c, items, i -> i.message().ref().ciphertextDigest()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.message().delivery().name()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> MessageState.initial(i.message().delivery()).name()));
      s.setArray(++p, ColumnArrays.bytes(c, items, i -> storeAndForward(i) ? i.message().envelope() : null));
      s.setArray(++p, ColumnArrays.bytes(c, items, i -> storeAndForward(i) ? i.acceptance() : null));
      s.setArray(++p, ColumnArrays.text(c, items, i -> storeAndForward(i) ? i.now().toString() : null));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.now().toString()));
      s.setArray(++p, ColumnArrays.text(c, items, i -> i.message().expireAt().toString()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          inserted.put(rs.getString(2), rs.getLong(1));
        }
      }
    }
    List<Admission> out = new ArrayList<>(items.size());
    for (Item i : items) {
      // remove: of two admissions of one message id in the batch, the first is the row, the second a resend
      Long rowId = inserted.remove(i.message().ref().messageId());
      out.add(rowId != null ? new Admission.Fresh(rowId) : MessageStore.existing(c, i.message(), i.now()));
    }
    return out;
  }

  private static boolean storeAndForward(Item i) {
    return i.message().delivery() == Delivery.STORE_AND_FORWARD;
  }
}
