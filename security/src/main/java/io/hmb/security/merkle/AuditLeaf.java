package io.hmb.security.merkle;

import io.hmb.api.v1.AuditEntry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The one encoding of an audit entry as a leaf of the log (docs/audit-log.md): every field in the order
 * of {@link AuditEntry}'s numbers, each as a 4-byte big-endian length and its bytes (numbers as 8 bytes
 * big-endian, text as UTF-8), after the label {@code "HMB-AUDIT-ENTRY-V1" 0x00}. The gateway hashes what
 * it stores with it and a participant what the gateway shows it, so neither trusts the other's hashing.
 */
public final class AuditLeaf {
  private static final byte[] LABEL = "HMB-AUDIT-ENTRY-V1\0".getBytes(StandardCharsets.US_ASCII);

  private AuditLeaf() {}

  /** The leaf's data. */
  public static byte[] encode(AuditEntry e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(LABEL);
    number(out, e.getEventId());
    number(out, e.getTimeMicros());
    text(out, e.getEvent());
    text(out, e.getMessageId());
    text(out, e.getSender());
    text(out, e.getRecipient());
    text(out, e.getMessageType());
    text(out, e.getAdmdvs());
    bytes(out, e.getCiphertextDigest().toByteArray());
    text(out, e.getDetail());
    return out.toByteArray();
  }

  /** The leaf's hash in the SM3 tree the gateway keeps. */
  public static byte[] hash(AuditEntry e) {
    return TreeHasher.SM3.leaf(encode(e));
  }

  private static void number(ByteArrayOutputStream out, long v) {
    bytes(out, ByteBuffer.allocate(8).putLong(v).array());
  }

  private static void text(ByteArrayOutputStream out, String s) {
    bytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(ByteArrayOutputStream out, byte[] b) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
    out.writeBytes(b);
  }
}
