package io.hmb.agent.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.hmb.agent.http.ApiException;
import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import io.hmb.client.GatewayException;
import org.junit.jupiter.api.Test;

/** gRPC status and ErrorInfo reason as the local caller sees them: the contract's HTTP table. */
class RefusalsTest {
  @Test
  void everyCodeHasItsHttpStatus() {
    assertThat(Refusals.httpStatus(Status.Code.INVALID_ARGUMENT)).isEqualTo(400);
    assertThat(Refusals.httpStatus(Status.Code.UNAUTHENTICATED)).isEqualTo(502);
    assertThat(Refusals.httpStatus(Status.Code.PERMISSION_DENIED)).isEqualTo(403);
    assertThat(Refusals.httpStatus(Status.Code.NOT_FOUND)).isEqualTo(404);
    assertThat(Refusals.httpStatus(Status.Code.ALREADY_EXISTS)).isEqualTo(409);
    assertThat(Refusals.httpStatus(Status.Code.FAILED_PRECONDITION)).isEqualTo(409);
    assertThat(Refusals.httpStatus(Status.Code.ABORTED)).isEqualTo(409);
    assertThat(Refusals.httpStatus(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(429);
    assertThat(Refusals.httpStatus(Status.Code.UNAVAILABLE)).isEqualTo(503);
    assertThat(Refusals.httpStatus(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(504);
    assertThat(Refusals.httpStatus(Status.Code.INTERNAL)).isEqualTo(502);
  }

  @Test
  void aReasonIsKeptAndAFailureWithoutOneGetsTheAgentsOwn() {
    GatewayException refused = GatewayException.fromCall(Errors.of(ErrorReason.NOT_AUTHORISED, "no"));
    ApiException e = Refusals.toApi(refused);
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.reason()).isEqualTo("NOT_AUTHORISED");
    assertThat(e.details().path("grpcStatus").asText()).isEqualTo("PERMISSION_DENIED");
    assertThat(Refusals.permanent(refused)).isTrue();

    GatewayException down = GatewayException.fromCall(Status.UNAVAILABLE.withDescription("io").asRuntimeException());
    assertThat(Refusals.toApi(down).reason()).isEqualTo("GATEWAY_UNREACHABLE");
    assertThat(Refusals.toApi(down).status()).isEqualTo(503);
    assertThat(Refusals.permanent(down)).as("resent: it may come back").isFalse();
    GatewayException late = GatewayException.fromCall(Status.DEADLINE_EXCEEDED.asRuntimeException());
    assertThat(Refusals.toApi(late).reason()).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(Refusals.permanent(late)).as("the outcome is unknown: resent with the same key").isFalse();
    GatewayException busy = GatewayException.fromCall(Errors.retryAfter(ErrorReason.RATE_LIMITED, "slow",
        java.time.Duration.ofMillis(1500)));
    assertThat(Refusals.toApi(busy).status()).isEqualTo(429);
    assertThat(Refusals.toApi(busy).details().path("retryAfterMs").asLong()).isEqualTo(1500);
    assertThat(Refusals.permanent(busy)).isFalse();
  }
}
