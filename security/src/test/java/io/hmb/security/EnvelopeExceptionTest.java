package io.hmb.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.api.v1.ErrorReason;
import io.hmb.security.EnvelopeException.Reason;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

class EnvelopeExceptionTest {

  @Test
  void everyReasonIsAnErrorReasonOfTheSameName() {
    for (Reason r : Reason.values()) {
      assertThat(r.errorReason()).isEqualTo(ErrorReason.valueOf(r.name()));
      assertThat(EnvelopeException.of(r).errorReason().name()).isEqualTo(r.name());
    }
    assertThat(Reason.values()).extracting(Reason::name).contains("SIGNATURE_INVALID", "KEY_UNKNOWN",
        "KEY_REVOKED", "WRONG_RECIPIENT", "EXPIRED", "NOT_YET_VALID", "REPLAYED", "DECRYPTION_FAILED",
        "PAYLOAD_TOO_LARGE", "UNSUPPORTED_SUITE", "UNSUPPORTED_VERSION", "MALFORMED_ENVELOPE",
        "MISSING_HEADER_FIELD", "INVALID_HEADER_FIELD");
  }

  @Test
  void messagesAreDullAndFieldIsMetadata() {
    EnvelopeException e = EnvelopeException.field(Reason.INVALID_HEADER_FIELD, "nonce");
    assertThat(e).isInstanceOf(GeneralSecurityException.class);
    assertThat(e.getMessage()).isEqualTo("envelope rejected: INVALID_HEADER_FIELD {field=nonce}");
    assertThat(e.field()).contains("nonce");
    assertThat(e.metadata()).containsExactly(java.util.Map.entry("field", "nonce"));
    assertThat(EnvelopeException.of(Reason.SIGNATURE_INVALID).getMessage())
        .isEqualTo("envelope rejected: SIGNATURE_INVALID");
    assertThat(EnvelopeException.of(Reason.SIGNATURE_INVALID).field()).isEmpty();
  }
}
