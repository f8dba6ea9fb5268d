package io.hmb.gateway.audit;

/**
 * The state changes the audit trail records. Rows hold header fields and the ciphertext digest only,
 * never personal data.
 */
public enum AuditEvent {
  /** A store-and-forward message was committed. */
  ACCEPTED,
  /** A pass-through request was verified, authorised and sent to its recipient. */
  FORWARDED,
  /** The recipient answered a pass-through request. */
  ANSWERED,
  /** A pass-through request failed at the recipient (unreachable, late, or its answer was refused). */
  FORWARD_FAILED,
  /** A message was handed to its recipient's inbox stream. */
  DELIVERED,
  /** The recipient confirmed it processed the message (push answer or inbox acknowledgement). */
  ACKNOWLEDGED,
  /** A delivery attempt failed; it will be retried. */
  DELIVERY_FAILED,
  /** Delivery gave up after the configured attempts. */
  DEAD_LETTERED,
  /** An operator re-queued a dead-lettered message. */
  REDRIVEN,
  /** An envelope was refused after its signature verified (not authorised, key reuse, replay). */
  REJECTED
}
