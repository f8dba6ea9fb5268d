package io.hmb.gateway.store;

import io.hmb.gateway.audit.AuditedMessage;

/** The header facts of a message that the store and the audit trail record (no personal data). */
public record MessageRef(String messageId, String sender, String recipient, String messageType, String admdvs,
    byte[] ciphertextDigest) implements AuditedMessage {}
