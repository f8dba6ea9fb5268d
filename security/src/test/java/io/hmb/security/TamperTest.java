package io.hmb.security;

import static io.hmb.security.Fixtures.*;
import static io.hmb.security.Reasons.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.EnvelopeException.Reason;
import io.hmb.security.replay.ReplayGuard;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Flips or cuts bytes in every region of an envelope; every change must be rejected. */
class TamperTest {
  /** What a flipped header byte may legitimately produce, depending on which byte it hits. */
  private static final Set<Reason> HEADER_REASONS = EnumSet.of(Reason.MALFORMED_ENVELOPE,
      Reason.MISSING_HEADER_FIELD, Reason.INVALID_HEADER_FIELD, Reason.UNKNOWN_MESSAGE_TYPE,
      Reason.UNSUPPORTED_SUITE, Reason.UNSUPPORTED_VERSION, Reason.EXPIRED, Reason.NOT_YET_VALID,
      Reason.SENDER_UNKNOWN, Reason.KEY_UNKNOWN, Reason.SIGNATURE_INVALID);

  private static ByteString flip(ByteString b, int i) {
    byte[] a = b.toByteArray();
    a[i] ^= 0x01;
    return ByteString.copyFrom(a);
  }

  private static void eachByte(SealedEnvelope env, ByteString region,
      BiFunction<SealedEnvelope.Builder, ByteString, SealedEnvelope.Builder> set,
      CipherSuite suite, Set<Reason> allowed) {
    EnvelopeVerifier verifier = verifier(suite, ReplayGuard.deferredToCaller());
    for (int i = 0; i < region.size(); i++) {
      SealedEnvelope bad = set.apply(env.toBuilder(), flip(region, i)).build();
      rejectedWithOneOf(() -> verifier.verify(bad), allowed);
      rejectedWithOneOf(() -> open(suite, bad), allowed);
    }
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void everyHeaderByteIsProtected(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().build());
    eachByte(env, env.getHeader(), SealedEnvelope.Builder::setHeader, suite, HEADER_REASONS);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void aPlausibleHeaderEditIsASignatureFailure(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().build());
    byte[] h = env.getHeader().toByteArray();
    int at = new String(h, StandardCharsets.ISO_8859_1).indexOf("dalian-2026") + 1; // 'a' -> 'b'
    h[at] ^= 0x03;
    SealedEnvelope bad = env.toBuilder().setHeader(ByteString.copyFrom(h)).build();
    rejected(() -> verifier(suite).verify(bad), Reason.SIGNATURE_INVALID);
    rejected(() -> open(suite, bad), Reason.SIGNATURE_INVALID);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void everyWrappedKeyCiphertextAndSignatureByteIsProtected(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().build());
    Set<Reason> sig = EnumSet.of(Reason.SIGNATURE_INVALID);
    eachByte(env, env.getWrappedKey(), SealedEnvelope.Builder::setWrappedKey, suite, sig);
    eachByte(env, env.getCiphertext(), SealedEnvelope.Builder::setCiphertext, suite, sig); // IV, body, tag
    eachByte(env, env.getSignature(), SealedEnvelope.Builder::setSignature, suite, sig);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void truncationIsRejected(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().build());
    EnvelopeVerifier v = verifier(suite, ReplayGuard.deferredToCaller());
    ByteString ct = env.getCiphertext();
    rejected(() -> v.verify(env.toBuilder().setWrappedKey(env.getWrappedKey().substring(1)).build()), Reason.SIGNATURE_INVALID);
    rejected(() -> v.verify(env.toBuilder().setCiphertext(ct.substring(0, ct.size() - 1)).build()), Reason.SIGNATURE_INVALID);
    rejected(() -> v.verify(env.toBuilder().setSignature(env.getSignature().substring(1)).build()), Reason.SIGNATURE_INVALID);
    rejected(() -> v.verify(env.toBuilder().setCiphertext(ct.substring(0, 27)).build()), Reason.MALFORMED_ENVELOPE);
    rejected(() -> v.verify(env.toBuilder().clearWrappedKey().build()), Reason.MALFORMED_ENVELOPE);
    rejected(() -> v.verify(env.toBuilder().clearSignature().build()), Reason.MALFORMED_ENVELOPE);
    rejected(() -> v.verify(env.toBuilder().clearHeader().build()), Reason.MALFORMED_ENVELOPE);
    for (int len = 0; len < env.getHeader().size(); len += 7) {
      int cut = len;
      rejectedWithOneOf(() -> v.verify(env.toBuilder().setHeader(env.getHeader().substring(0, cut)).build()),
          HEADER_REASONS);
    }
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void aSenderWhoSignsGarbageGetsDecryptionFailedNotAPayload(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().build());
    for (SealedEnvelope.Builder b : new SealedEnvelope.Builder[] {
        env.toBuilder().setCiphertext(flip(env.getCiphertext(), 3)),          // IV
        env.toBuilder().setCiphertext(flip(env.getCiphertext(), 20)),         // body
        env.toBuilder().setCiphertext(flip(env.getCiphertext(), env.getCiphertext().size() - 1)), // tag
        env.toBuilder().setWrappedKey(flip(env.getWrappedKey(), env.getWrappedKey().size() - 1))}) {
      SealedEnvelope bad = b.build();
      byte[] sig = bureauKey(suite).sign(bad.getHeader().toByteArray(), bad.getWrappedKey().toByteArray(),
          bad.getCiphertext().toByteArray(), null);
      SealedEnvelope signed = bad.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
      assertThat(verifier(suite).verify(signed).messageId()).isNotEmpty(); // the gateway cannot tell
      rejected(() -> open(suite, signed), Reason.DECRYPTION_FAILED);
    }
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void aPayloadThatDoesNotParseIsPayloadInvalid(CipherSuite suite) throws Exception {
    CoverageQuery invalidUtf8 = CoverageQuery.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
        .addField(4, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFrom(new byte[] {(byte) 0xff})).build())
        .build()).build();
    SealedEnvelope env = Sealer.create().seal(header().build(), invalidUtf8, bureauKey(suite), insurerKey(suite).publicKey());
    rejected(() -> open(suite, env), Reason.PAYLOAD_INVALID);
  }
}
