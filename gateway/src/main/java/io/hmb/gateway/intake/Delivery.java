package io.hmb.gateway.intake;

/** How the gateway carries a message type to its recipient. */
public enum Delivery {
  /** The caller waits; the gateway forwards and returns the recipient's sealed answer. */
  PASS_THROUGH,
  /** Committed to PostgreSQL before the caller is answered, then delivered by the outbox. */
  STORE_AND_FORWARD
}
