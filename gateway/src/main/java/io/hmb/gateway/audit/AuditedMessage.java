package io.hmb.gateway.audit;

/**
 * The header facts of a message that an audit row records (no personal data). Defined here, not in
 * {@code store}, because the audit trail sits below the store: the store writes audit rows inside its
 * transactions ({@code store.MessageRef} implements this), and audit depends on nothing above it.
 */
public interface AuditedMessage {
  String messageId();

  String sender();

  String recipient();

  String messageType();

  String admdvs();

  /** SM3 of the envelope's ciphertext; null when there is none to record. */
  byte[] ciphertextDigest();
}
