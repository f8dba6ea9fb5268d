package io.hmb.client;

import com.google.protobuf.MessageLite;
import java.util.Objects;

/**
 * A payload with the idempotency key the caller persisted for it, e.g. one settlement record of a batch.
 * {@link #toString()} omits the payload (personal data).
 */
public record Keyed<T extends MessageLite>(String idempotencyKey, T payload) {
  public Keyed {
    IdempotencyKeys.check(idempotencyKey);
    Objects.requireNonNull(payload, "payload");
  }

  @Override
  public String toString() {
    return "Keyed{" + payload.getClass().getSimpleName() + "}";
  }
}
