package io.hmb.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hmb.api.v1.ErrorReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorsTest {

  @Test
  void everyReasonHasACatalogueEntry() {
    Arrays.stream(ErrorReason.values())
        .filter(r -> r != ErrorReason.ERROR_REASON_UNSPECIFIED && r != ErrorReason.UNRECOGNIZED)
        .forEach(r -> assertThat(ErrorCatalog.entries()).as(r.name()).containsKey(r));
  }

  @Test
  void errorCarriesCatalogueCodeReasonDomainAndMetadata() {
    StatusRuntimeException e = Errors.of(ErrorReason.MISSING_HEADER_FIELD,
        "header.sender is required", Map.of("field", "sender"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).isEqualTo("header.sender is required");
    assertThat(Errors.reason(e)).contains(ErrorReason.MISSING_HEADER_FIELD);
    assertThat(Errors.errorInfo(e).orElseThrow().getDomain()).isEqualTo("hmb.v1");
    assertThat(Errors.errorInfo(e).orElseThrow().getMetadataMap()).containsEntry("field", "sender");
    assertThat(Errors.retryDelay(e)).isEmpty();
  }

  @Test
  void aMessageQuotingAHugeValueIsCutSoTheTrailersStaySmall() {
    StatusRuntimeException e = Errors.of(ErrorReason.SENDER_MISMATCH, "header.sender " + "x".repeat(1_000_000));
    assertThat(e.getStatus().getDescription()).hasSizeLessThan(Errors.MAX_MESSAGE_CHARS + 30)
        .endsWith("...(1000014 chars)");
    assertThat(Errors.reason(e)).contains(ErrorReason.SENDER_MISMATCH);
  }

  @Test
  void retryableErrorCarriesRetryInfo() {
    StatusRuntimeException e = Errors.retryAfter(ErrorReason.RATE_LIMITED, "slow down", Duration.ofMillis(1500));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(Errors.retryDelay(e)).contains(Duration.ofMillis(1500));
  }

  @Test
  void plainStatusHasNoReason() {
    assertThat(Errors.reason(Status.INTERNAL.asRuntimeException())).isEmpty();
  }

  @Test
  void committedErrorCatalogueDocMatchesTheCode() throws Exception {
    Path doc = Path.of("../docs/errors.md");
    if (Boolean.getBoolean("hmb.docs.write")) {
      Files.writeString(doc, ErrorCatalogDoc.render(), StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(doc, StandardCharsets.UTF_8))
        .as("docs/errors.md is stale: run mvn -pl proto test -Dhmb.docs.write=true")
        .isEqualTo(ErrorCatalogDoc.render());
  }
}
