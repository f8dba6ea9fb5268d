package io.hmb.security;

import static io.hmb.security.Fixtures.*;
import static io.hmb.security.Reasons.rejectedWithField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.EnvelopeException.Reason;
import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** header.content_digest: filled by the sealer with an idempotency key, checked by the recipient. */
class ContentDigestTest {

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void sealerFillsItWithAnIdempotencyKeyAndTheRecipientChecksIt(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().setIdempotencyKey("op-1").build());
    EnvelopeHeader h = parsedHeader(env);
    assertThat(h.getContentDigest().toByteArray()).isEqualTo(ContentDigest.compute(suite, "op-1",
        MessageType.MESSAGE_TYPE_COVERAGE_QUERY, payload().toByteArray())).hasSize(32);
    assertThat(open(suite, env).payload()).isEqualTo(payload());
    // a retry of the same operation, sealed anew: different ciphertext, same digest
    assertThat(parsedHeader(seal(suite, header().setIdempotencyKey("op-1").build())).getContentDigest())
        .isEqualTo(h.getContentDigest());
    assertThat(parsedHeader(seal(suite, header().build())).getContentDigest()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void aDigestThatDoesNotMatchThePayloadIsRefused(CipherSuite suite) throws Exception {
    EnvelopeHeader lying = parsedHeader(seal(suite, header().setIdempotencyKey("op-1").build())).toBuilder()
        .setContentDigest(ByteString.copyFrom(new byte[32])).build();
    SealedEnvelope env = Sealer.create().sealFilled(lying, payload().toByteArray(), bureauKey(suite),
        insurerKey(suite).publicKey(), new SecureRandom());
    assertThat(verifier(suite).verify(env).idempotencyKey()).isEqualTo("op-1"); // the gateway cannot tell
    rejectedWithField(() -> open(suite, env), Reason.INVALID_HEADER_FIELD, "content_digest");
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void presenceAndLengthAreChecked(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().setIdempotencyKey("op-1").build());
    EnvelopeHeader h = parsedHeader(env);
    rejectedWithField(() -> verifier(suite).verify(resign(env, h.toBuilder().clearContentDigest().build(), suite)),
        Reason.MISSING_HEADER_FIELD, "content_digest");
    rejectedWithField(() -> verifier(suite).verify(resign(env, h.toBuilder()
        .setContentDigest(ByteString.copyFrom(new byte[31])).build(), suite)), Reason.INVALID_HEADER_FIELD, "content_digest");
    rejectedWithField(() -> verifier(suite).verify(resign(env, h.toBuilder().clearIdempotencyKey().build(), suite)),
        Reason.INVALID_HEADER_FIELD, "content_digest");
    assertThatThrownBy(() -> seal(suite, header().setIdempotencyKey("op-1")
        .setContentDigest(ByteString.copyFrom(new byte[32])).build())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("content_digest");
    // a caller that computed the right digest itself (as older callers do) is accepted
    byte[] right = ContentDigest.compute(suite, "op-2", MessageType.MESSAGE_TYPE_COVERAGE_QUERY, payload().toByteArray());
    assertThat(open(suite, seal(suite, header().setIdempotencyKey("op-2").setContentDigest(ByteString.copyFrom(right))
        .build())).payload()).isEqualTo(payload());
  }
}
