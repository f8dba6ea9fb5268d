package io.hmb.security;

import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.SignedCheckpoint;
import io.hmb.security.merkle.Checkpoint;
import java.security.spec.InvalidKeySpecException;

/**
 * Checks checkpoints against the pinned public key of one audit log: the signature over the exact text
 * received, then the text itself, whose origin must name this key. Immutable and thread-safe.
 */
public final class CheckpointVerifier {
  private static final String ORIGIN_PREFIX = "hmb-audit/";
  private final PublicKeyHandle key;

  CheckpointVerifier(PublicKeyHandle key) {
    this.key = key;
  }

  /** The verifier for the log key whose public key is this PEM (SubjectPublicKeyInfo). */
  public static CheckpointVerifier fromPem(String publicKeyPem) throws InvalidKeySpecException {
    PublicKeyHandle k = PublicKeyHandle.fromPem(publicKeyPem);
    if (k.suite() != CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3) {
      throw new InvalidKeySpecException("an audit log key is an SM2 key");
    }
    return new CheckpointVerifier(k);
  }

  static String originOf(String keyId) {
    return ORIGIN_PREFIX + keyId;
  }

  public String keyId() {
    return key.keyId();
  }

  /** The public key, PEM, for publishing beside ca.crt. */
  public String publicKeyPem() {
    return key.toPem();
  }

  /**
   * The checkpoint, once its signature and text check out.
   *
   * @throws InvalidCheckpointException naming what is wrong: another key, a bad signature, a text that is
   *     not a checkpoint of this log
   */
  public Checkpoint verify(SignedCheckpoint signed) throws InvalidCheckpointException {
    if (!key.keyId().equals(signed.getKeyId())) {
      throw new InvalidCheckpointException("the checkpoint is signed by key " + printable(signed.getKeyId())
          + ", not by this log's key " + key.keyId());
    }
    byte[] note = signed.getNote().toByteArray();
    if (!key.verifyLabelled(AuditLogKey.LABEL, note, signed.getSignature().toByteArray())) {
      throw new InvalidCheckpointException("the checkpoint's signature does not verify with the log key " + key.keyId());
    }
    Checkpoint c;
    try {
      c = Checkpoint.parse(note);
    } catch (IllegalArgumentException e) {
      throw new InvalidCheckpointException("signed, but not a checkpoint: " + e.getMessage());
    }
    if (!c.origin().equals(originOf(key.keyId()))) {
      throw new InvalidCheckpointException("the checkpoint names the log " + c.origin() + ", not " + originOf(key.keyId()));
    }
    return c;
  }

  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return cut.replaceAll("[^0-9A-Za-z]", "?");
  }

  /** A checkpoint that is not a valid statement of this log. */
  public static final class InvalidCheckpointException extends Exception {
    public InvalidCheckpointException(String message) {
      super(message);
    }
  }

  @Override
  public String toString() {
    return "CheckpointVerifier{keyId=" + key.keyId() + "}";
  }
}
