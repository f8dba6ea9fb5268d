package io.hmb.gateway.delivery;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import java.time.Duration;

/**
 * Turns a failed call to a recipient into what the original caller gets. A recipient's own hmb.v1
 * error (it could not open the envelope, the payload was invalid) is passed through unchanged; a
 * transport failure becomes RECIPIENT_UNAVAILABLE (retry later) or RECIPIENT_TIMEOUT (outcome unknown:
 * retry with the same idempotency key). Never a guess.
 */
public final class ForwardFailures {
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private ForwardFailures() {}

  public static StatusRuntimeException toCallerError(Throwable failure, String recipient) {
    if (Errors.reason(failure).isPresent()) {
      return (StatusRuntimeException) failure;
    }
    Status status = Status.fromThrowable(failure);
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return Errors.retryAfter(ErrorReason.RECIPIENT_TIMEOUT, recipient + " did not answer within the deadline; "
          + "the outcome is unknown, retry with the same idempotency key", RETRY_AFTER);
    }
    return Errors.retryAfter(ErrorReason.RECIPIENT_UNAVAILABLE,
        recipient + " is unreachable (" + status.getCode() + "); retry later", RETRY_AFTER);
  }
}
