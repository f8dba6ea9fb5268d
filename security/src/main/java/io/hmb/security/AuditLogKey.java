package io.hmb.security;

import com.google.protobuf.ByteString;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.SignedCheckpoint;
import io.hmb.security.merkle.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.security.spec.InvalidKeySpecException;
import java.time.Instant;

/**
 * The audit log's signing key (SM2): it signs checkpoints and nothing else. It lives in a file beside the
 * gateway's TLS key, never in the database, so whoever controls the database can rewrite rows but not
 * sign a checkpoint over them. Participants pin its public key ({@link #verifier()}) out of band.
 */
public final class AuditLogKey {
  /** What a checkpoint signature covers before the checkpoint text: keeps this key's signatures to one use. */
  static final byte[] LABEL = "HMB-AUDIT-CHECKPOINT-V1\0".getBytes(StandardCharsets.US_ASCII);

  private final PrivateKeyHandle key;

  private AuditLogKey(PrivateKeyHandle key) {
    this.key = key;
  }

  public static AuditLogKey generate() {
    return new AuditLogKey(PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3));
  }

  /** Loads a PKCS#8 PEM key written by {@link #toPem}; only SM2 keys are log keys. */
  public static AuditLogKey fromPem(String pem, SecretAccess access) throws InvalidKeySpecException {
    PrivateKeyHandle k = PrivateKeyHandle.fromPem(pem, access);
    if (k.suite() != CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3) {
      throw new InvalidKeySpecException("an audit log key is an SM2 key");
    }
    return new AuditLogKey(k);
  }

  public String toPem(SecretAccess access) {
    return key.toPem(access);
  }

  /** The log's name in every checkpoint it signs: "hmb-audit/" and the key id. */
  public String origin() {
    return CheckpointVerifier.originOf(key.keyId());
  }

  /** What participants pin to check this log's checkpoints. */
  public CheckpointVerifier verifier() {
    return new CheckpointVerifier(key.publicKey());
  }

  /** Signs the statement that the log's first {@code treeSize} entries have root {@code rootHash}. */
  public SignedCheckpoint sign(long treeSize, byte[] rootHash, Instant time) {
    byte[] note = new Checkpoint(origin(), treeSize, rootHash, time).note();
    return SignedCheckpoint.newBuilder().setNote(ByteString.copyFrom(note))
        .setSignature(ByteString.copyFrom(key.signLabelled(LABEL, note))).setKeyId(key.keyId()).build();
  }

  @Override
  public String toString() {
    return "AuditLogKey{keyId=" + key.keyId() + "}";
  }
}
