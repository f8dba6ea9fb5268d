package io.hmb.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.hmb.api.ErrorCatalog;
import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import io.hmb.security.EnvelopeException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mapping failed calls and local envelope failures to one exception type. */
class GatewayExceptionTest {

  @Test
  void carriesReasonRetryDelayMetadataStatusAndTheNextStep() {
    GatewayException e = GatewayException.fromCall(
        Errors.retryAfter(ErrorReason.RATE_LIMITED, "too many calls", Duration.ofSeconds(3)));

    assertThat(e.reason()).contains(ErrorReason.RATE_LIMITED);
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryDelay()).contains(Duration.ofSeconds(3));
    assertThat(e.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.origin()).isEqualTo(GatewayException.Origin.REMOTE);
    assertThat(e.getMessage()).startsWith("RATE_LIMITED: too many calls")
        .contains(ErrorCatalog.entry(ErrorReason.RATE_LIMITED).nextStep());
  }

  @Test
  void keepsTheOffendingField() {
    GatewayException e = GatewayException.fromCall(Errors.of(ErrorReason.INVALID_HEADER_FIELD, "bad admdvs",
        Map.of("field", "admdvs")));

    assertThat(e.metadata()).containsEntry("field", "admdvs");
    assertThat(e.retryable()).isFalse();
    assertThat(e.retryDelay()).isEmpty();
  }

  @Test
  void transportFailureWithoutReasonIsRetryableOnlyWhenUnavailable() {
    GatewayException down = GatewayException.fromCall(Status.UNAVAILABLE.withDescription("io").asRuntimeException());
    GatewayException late = GatewayException.fromCall(Status.DEADLINE_EXCEEDED.asRuntimeException());

    assertThat(down.reason()).isEmpty();
    assertThat(down.retryable()).isTrue();
    assertThat(late.reason()).isEmpty();
    assertThat(late.retryable()).isFalse();
    assertThat(late.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void localSealingFailureHasTheCataloguedCodeAndNextStep() {
    GatewayException e = GatewayException.fromEnvelope(EnvelopeException.of(EnvelopeException.Reason.KEY_REVOKED),
        GatewayException.Origin.SEALING);

    assertThat(e.reason()).contains(ErrorReason.KEY_REVOKED);
    assertThat(e.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getMessage()).contains(ErrorCatalog.entry(ErrorReason.KEY_REVOKED).nextStep());
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void answerFailureSaysTheRequestMayHaveBeenActedOn() {
    GatewayException e = GatewayException.fromEnvelope(
        EnvelopeException.field(EnvelopeException.Reason.INVALID_HEADER_FIELD, "correlation_id"),
        GatewayException.Origin.ANSWER);

    assertThat(e.getMessage()).contains("correlation_id").contains("may have been acted on");
    assertThat(e.metadata()).containsEntry("field", "correlation_id");
    assertThat(new RetryPolicy[] {RetryPolicy.defaults()}[0].shouldRetry(e)).isFalse();
  }
}
