package io.hmb.security;

import static io.hmb.security.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.SealedEnvelope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


class EnvelopeRoundTripTest {

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void sealThenVerifyThenOpenReturnsThePayload(CipherSuite suite) throws Exception {
    EnvelopeHeader callerHeader = header().build();
    SealedEnvelope env = seal(suite, callerHeader);

    VerifiedHeader verified = verifier(suite).verify(env);
    OpenedMessage<CoverageQuery> opened = open(suite, env);

    assertThat(opened.payload()).isEqualTo(payload());
    assertThat(opened.header().headerBytes()).isEqualTo(env.getHeader());
    assertThat(verified.messageId()).isEqualTo(callerHeader.getMessageId());
    assertThat(verified.sender()).isEqualTo(BUREAU);
    assertThat(verified.createTime()).isEqualTo(NOW);
    assertThat(verified.toString()).contains(callerHeader.getMessageId()).doesNotContain("张三");
    assertThat(opened.toString()).doesNotContain("张三").doesNotContain("11010519491231002X");
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void sealerFillsKeyIdsSuiteVersionAndAFreshNonce(CipherSuite suite) throws Exception {
    EnvelopeHeader callerHeader = header().build();
    EnvelopeHeader a = parsedHeader(seal(suite, callerHeader));
    EnvelopeHeader b = parsedHeader(seal(suite, callerHeader));

    assertThat(a.getSenderKeyId()).isEqualTo(bureauKey(suite).keyId()).matches("[0-9a-f]{32}");
    assertThat(a.getRecipientKeyId()).isEqualTo(insurerKey(suite).keyId());
    assertThat(a.getCipherSuite()).isEqualTo(suite);
    assertThat(a.getSchemaVersion()).isEqualTo(1);
    assertThat(a.getNonce().size()).isEqualTo(16);
    assertThat(a.getNonce()).isNotEqualTo(b.getNonce());
    // everything the caller set is kept as is
    assertThat(a.toBuilder().clearNonce().clearSenderKeyId().clearRecipientKeyId().clearCipherSuite()
        .clearSchemaVersion().build()).isEqualTo(callerHeader);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void wrappedKeyAndCiphertextHaveTheSpecifiedLayout(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().build());
    int wrapped = suite == CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3 ? 65 + 32 + 16 : 65;
    assertThat(env.getWrappedKey().size()).isEqualTo(wrapped);
    assertThat(env.getWrappedKey().byteAt(0)).isEqualTo((byte) 0x04);
    assertThat(env.getCiphertext().size()).isEqualTo(12 + payload().getSerializedSize() + 16);
    assertThat(env.getSignature().byteAt(0)).isEqualTo((byte) 0x30); // DER SEQUENCE
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void callerMayNotChooseTheNonceOrOtherSealerFields(CipherSuite suite) {
    Sealer sealer = Sealer.create();
    PrivateKeyHandle sender = bureauKey(suite);
    PublicKeyHandle recipient = insurerKey(suite).publicKey();
    assertThatThrownBy(() -> sealer.seal(header().setNonce(ByteString.copyFrom(new byte[16])).build(),
        payload(), sender, recipient)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonce");
    assertThatThrownBy(() -> sealer.seal(header().setSenderKeyId("00".repeat(16)).build(),
        payload(), sender, recipient)).hasMessageContaining("sender_key_id");
    assertThatThrownBy(() -> sealer.seal(header().setSchemaVersion(2).build(), payload(), sender, recipient))
        .hasMessageContaining("schema_version");
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void sealerRefusesAHeaderTheGatewayWouldRefuse(CipherSuite suite) {
    assertThatThrownBy(() -> seal(suite, header().clearMessageId().build()))
        .isInstanceOfSatisfying(EnvelopeException.class, e -> {
          assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.MISSING_HEADER_FIELD);
          assertThat(e.field()).contains("message_id");
        });
    assertThatThrownBy(() -> seal(suite, header().setExpireTime(ts(NOW.plusSeconds(8 * 86400))).build()))
        .isInstanceOfSatisfying(EnvelopeException.class, e -> assertThat(e.field()).contains("expire_time"));
  }

  @org.junit.jupiter.api.Test
  void keysOfDifferentSuitesCannotBeMixed() {
    assertThatThrownBy(() -> Sealer.create().seal(header().build(), payload(),
        bureauKey(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3),
        insurerKey(CipherSuite.CIPHER_SUITE_P256_AES256_GCM_SHA256).publicKey()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
