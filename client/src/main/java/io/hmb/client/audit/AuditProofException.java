package io.hmb.client.audit;

/**
 * The gateway answered, but what it showed does not prove what it should: a checkpoint not signed by the
 * log's key, an entry that is not ours, a path that does not lead to a signed root, a newer log that does
 * not extend an older one. Not a transient failure; keep the evidence (the checkpoints and the answer).
 */
public final class AuditProofException extends Exception {
  private static final long serialVersionUID = 1L;

  public AuditProofException(String message) {
    super(message);
  }
}
