package io.hmb.agent.send;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Status;
import io.hmb.agent.http.ApiException;
import io.hmb.client.GatewayException;

/**
 * A failed gateway call as the local caller sees it (docs/agent.md "Errors"): the hmb.v1 ErrorInfo reason, the
 * SDK's message (which names the reason and the next step, never a payload value), the gRPC status, the
 * RetryInfo delay; the HTTP status by the gRPC code. A failure with no hmb.v1 reason (the gateway unreachable, a
 * deadline passed on this side) gets the agent's own reason: GATEWAY_UNREACHABLE, DEADLINE_EXCEEDED.
 */
public final class Refusals {
  private Refusals() {}

  /** The HTTP status for a gRPC code: the contract's table. */
  public static int httpStatus(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT -> 400;
      case UNAUTHENTICATED -> 502; // the agent's own identity was refused: nothing the local caller can fix
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED -> 409;
      case RESOURCE_EXHAUSTED -> 429;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      default -> 502;
    };
  }

  public static ApiException toApi(GatewayException e) {
    Status.Code code = e.status().getCode();
    String reason = e.reason().map(Enum::name).orElse(switch (code) {
      case UNAVAILABLE -> "GATEWAY_UNREACHABLE";
      case DEADLINE_EXCEEDED -> "DEADLINE_EXCEEDED";
      default -> code.name();
    });
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    details.put("grpcStatus", code.name());
    e.retryDelay().ifPresent(d -> details.put("retryAfterMs", d.toMillis()));
    if (e.origin() == GatewayException.Origin.ANSWER) {
      details.put("delivered", true); // the request reached the recipient: retry with the same key to learn the outcome
    }
    String message = e.getMessage() == null ? code.name() : e.getMessage().replaceAll("[\\r\\n\\t]+", " ");
    return new ApiException(httpStatus(code), reason, message, details);
  }

  /**
   * Whether resending with the same key can never succeed: the gateway or the recipient refused with a reason the
   * catalogue does not call retryable. A failure with no reason (transport, a deadline) may have been accepted or
   * not: it is resent, and the gateway answers a repeat of the key with the first acceptance.
   */
  public static boolean permanent(GatewayException e) {
    return e.reason().isPresent() && !e.retryable();
  }
}
