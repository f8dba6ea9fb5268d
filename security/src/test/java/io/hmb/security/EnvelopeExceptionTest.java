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
  void messagesAreSentencesAndFieldIsMetadata() {
    EnvelopeException e = EnvelopeException.field(Reason.INVALID_HEADER_FIELD, "nonce");
    assertThat(e).isInstanceOf(GeneralSecurityException.class);
    assertThat(e.getMessage()).isEqualTo("header.nonce breaks its rule (docs/envelope.md section 2)");
    assertThat(e.field()).contains("nonce");
    assertThat(e.metadata()).containsExactly(java.util.Map.entry("field", "nonce"));
    assertThat(EnvelopeException.of(Reason.SIGNATURE_INVALID).field()).isEmpty();
    for (Reason r : Reason.values()) {
      Reasons.assertPlainSentence(EnvelopeException.of(r));
    }
  }

  @Test
  void theFiveAnIntegratorMeetsMostSayWhatToChange() {
    assertThat(EnvelopeException.of(Reason.SIGNATURE_INVALID).getMessage())
        .contains("does not verify", "header.sender_key_id", "changed after signing");
    assertThat(EnvelopeException.of(Reason.EXPIRED).getMessage()).contains("header.expire_time has passed", "seal");
    assertThat(EnvelopeException.of(Reason.NOT_YET_VALID).getMessage()).contains("header.create_time", "clock", "NTP");
    assertThat(EnvelopeException.of(Reason.KEY_UNKNOWN).getMessage()).contains("not a registered key", "cipher suite");
    assertThat(EnvelopeException.replayed("0b8a5c7e-0c5e-4c9f-9d0e-3f1f2a6b7c8d", "HOSPITAL-210200-01").getMessage())
        .startsWith("message 0b8a5c7e-0c5e-4c9f-9d0e-3f1f2a6b7c8d from HOSPITAL-210200-01 is refused as a replay")
        .contains("new message_id", "fresh nonce");
    assertThat(EnvelopeException.replayed("m", "S").reason()).isEqualTo(Reason.REPLAYED);
  }
}
