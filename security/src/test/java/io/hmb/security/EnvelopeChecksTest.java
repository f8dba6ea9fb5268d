package io.hmb.security;

import static io.hmb.security.Fixtures.*;
import static io.hmb.security.Reasons.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.EnvelopeException.Reason;
import io.hmb.security.replay.InMemoryReplayGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Time, size, suite/version, field, replay, recipient and key-status checks, for both suites. */
class EnvelopeChecksTest {

  private static EnvelopeVerifier verifierAt(CipherSuite suite, Instant now) {
    return EnvelopeVerifier.builder(directory(suite)).clock(Clock.fixed(now, ZoneOffset.UTC))
        .replayGuard(new InMemoryReplayGuard(CLOCK)).build();
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void expiryIsExclusiveAtExpireTime(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().build());
    Instant expire = NOW.plus(Duration.ofHours(1));
    assertThat(verifierAt(suite, expire.minusNanos(1)).verify(env).expireTime()).isEqualTo(expire);
    rejected(() -> verifierAt(suite, expire).verify(env), Reason.EXPIRED);
    rejected(() -> opener(Clock.fixed(expire, ZoneOffset.UTC))
        .open(env, insurerKey(suite), bureauKey(suite).publicKey(), CoverageQuery.parser()), Reason.EXPIRED);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void createTimeMayBeAtMostTheSkewAhead(CipherSuite suite) throws Exception {
    Instant fiveMinutesAhead = NOW.plus(Duration.ofMinutes(5));
    SealedEnvelope ok = seal(suite, header().setCreateTime(ts(fiveMinutesAhead)).build());
    SealedEnvelope ahead = seal(suite, header().setCreateTime(ts(fiveMinutesAhead.plusSeconds(1))).build());
    assertThat(verifier(suite).verify(ok).createTime()).isEqualTo(fiveMinutesAhead);
    rejected(() -> verifier(suite).verify(ahead), Reason.NOT_YET_VALID);
    EnvelopeVerifier lenient = EnvelopeVerifier.builder(directory(suite)).clock(CLOCK)
        .policy(EnvelopePolicy.builder().maxClockSkew(Duration.ofMinutes(10)).build())
        .replayGuard(new InMemoryReplayGuard(CLOCK)).build();
    assertThat(lenient.verify(ahead).messageId()).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void lifetimeIsBounded(CipherSuite suite) throws Exception {
    Sealer longLived = Sealer.create(EnvelopePolicy.builder().maxLifetime(Duration.ofDays(30)).build());
    SealedEnvelope eightDays = longLived.seal(header().setExpireTime(ts(NOW.plus(Duration.ofDays(8)))).build(),
        payload(), bureauKey(suite), insurerKey(suite).publicKey());
    rejectedWithField(() -> verifier(suite).verify(eightDays), Reason.INVALID_HEADER_FIELD, "expire_time");
    SealedEnvelope base = seal(suite, header().build());
    SealedEnvelope backwards = resign(base, parsedHeader(base).toBuilder().setExpireTime(ts(NOW)).build(), suite);
    rejectedWithField(() -> verifier(suite).verify(backwards), Reason.INVALID_HEADER_FIELD, "expire_time");
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void oversizedEnvelopesAreRefused(CipherSuite suite) throws Exception {
    EnvelopeException e = rejected(() -> Sealer.create().seal(header().build(),
        payloadOfSize(EnvelopePolicy.DEFAULT_MAX_ENVELOPE_BYTES + 1), bureauKey(suite), insurerKey(suite).publicKey()),
        Reason.PAYLOAD_TOO_LARGE);
    assertThat(e.metadata()).containsEntry("limit_bytes", "4194304");
    SealedEnvelope fourKiB = Sealer.create().seal(header().build(), payloadOfSize(4096), bureauKey(suite),
        insurerKey(suite).publicKey());
    EnvelopeVerifier small = EnvelopeVerifier.builder(directory(suite)).clock(CLOCK)
        .policy(EnvelopePolicy.builder().maxEnvelopeBytes(2048).build())
        .replayGuard(new InMemoryReplayGuard(CLOCK)).build();
    rejected(() -> small.verify(fourKiB), Reason.PAYLOAD_TOO_LARGE);
    assertThat(verifier(suite).verify(fourKiB).messageId()).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void unsupportedSuiteAndVersion(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().build());
    EnvelopeHeader h = parsedHeader(env);
    rejected(() -> verifier(suite).verify(resign(env, h.toBuilder().setCipherSuiteValue(99).build(), suite)),
        Reason.UNSUPPORTED_SUITE);
    rejected(() -> verifier(suite).verify(resign(env, h.toBuilder().setSchemaVersion(2).build(), suite)),
        Reason.UNSUPPORTED_VERSION);
    rejectedWithField(() -> verifier(suite).verify(resign(env, h.toBuilder().clearCipherSuite().build(), suite)),
        Reason.MISSING_HEADER_FIELD, "cipher_suite");
    rejectedWithField(() -> verifier(suite).verify(resign(env, h.toBuilder().clearSchemaVersion().build(), suite)),
        Reason.MISSING_HEADER_FIELD, "schema_version");
    // a header claiming the other suite: the key named has the wrong suite
    CipherSuite other = suite == CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3
        ? CipherSuite.CIPHER_SUITE_P256_AES256_GCM_SHA256 : CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3;
    rejected(() -> verifier(suite).verify(resign(env, h.toBuilder().setCipherSuite(other).build(), suite)),
        Reason.KEY_UNKNOWN);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void headerFieldsAreCheckedAndNamed(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().build());
    EnvelopeHeader h = parsedHeader(env);
    EnvelopeVerifier v = verifier(suite);
    record Case(UnaryOperator<EnvelopeHeader.Builder> edit, Reason reason, String field) {}
    Case[] cases = {
        new Case(b -> b.clearMessageId(), Reason.MISSING_HEADER_FIELD, "message_id"),
        new Case(b -> b.setMessageId("not-a-uuid"), Reason.INVALID_HEADER_FIELD, "message_id"),
        new Case(b -> b.setCorrelationId("x"), Reason.INVALID_HEADER_FIELD, "correlation_id"),
        new Case(b -> b.setIdempotencyKey("has space"), Reason.INVALID_HEADER_FIELD, "idempotency_key"),
        new Case(b -> b.setIdempotencyKey("k".repeat(65)), Reason.INVALID_HEADER_FIELD, "idempotency_key"),
        new Case(b -> b.clearSender(), Reason.MISSING_HEADER_FIELD, "sender"),
        new Case(b -> b.clearRecipient(), Reason.MISSING_HEADER_FIELD, "recipient"),
        new Case(b -> b.setRecipient("有人"), Reason.INVALID_HEADER_FIELD, "recipient"),
        new Case(b -> b.clearMessageType(), Reason.MISSING_HEADER_FIELD, "message_type"),
        new Case(b -> b.clearAdmdvs(), Reason.MISSING_HEADER_FIELD, "admdvs"),
        new Case(b -> b.setAdmdvs("21020"), Reason.INVALID_HEADER_FIELD, "admdvs"),
        new Case(b -> b.clearCreateTime(), Reason.MISSING_HEADER_FIELD, "create_time"),
        new Case(b -> b.clearExpireTime(), Reason.MISSING_HEADER_FIELD, "expire_time"),
        new Case(b -> b.setExpireTime(b.getExpireTime().toBuilder().setNanos(-1)), Reason.INVALID_HEADER_FIELD, "expire_time"),
        new Case(b -> b.clearNonce(), Reason.MISSING_HEADER_FIELD, "nonce"),
        new Case(b -> b.setNonce(ByteString.copyFrom(new byte[15])), Reason.INVALID_HEADER_FIELD, "nonce"),
        new Case(b -> b.clearSenderKeyId(), Reason.MISSING_HEADER_FIELD, "sender_key_id"),
        new Case(b -> b.setRecipientKeyId("ABCDEF".repeat(5) + "00"), Reason.INVALID_HEADER_FIELD, "recipient_key_id"),
        new Case(b -> b.setProductCode("dalian 2026"), Reason.INVALID_HEADER_FIELD, "product_code"),
    };
    for (Case c : cases) {
      SealedEnvelope bad = resign(env, c.edit().apply(h.toBuilder()).build(), suite);
      rejectedWithField(() -> v.verify(bad), c.reason(), c.field());
    }
    rejected(() -> v.verify(resign(env, h.toBuilder().setMessageTypeValue(999).build(), suite)),
        Reason.UNKNOWN_MESSAGE_TYPE);
    rejected(() -> v.verify(resign(env, ByteString.copyFromUtf8("\u00ff\u00ff not protobuf"), suite)),
        Reason.MALFORMED_ENVELOPE);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void replaysAreRefusedByMessageIdAndByNonce(CipherSuite suite) throws Exception {
    EnvelopeHeader h = header().build();
    SealedEnvelope first = seal(suite, h);
    SealedEnvelope sameId = seal(suite, h); // new nonce, same message id
    EnvelopeVerifier v = verifier(suite);
    assertThat(v.verify(first).messageId()).isEqualTo(h.getMessageId());
    assertThat(rejected(() -> v.verify(first), Reason.REPLAYED).getMessage())
        .startsWith("message " + h.getMessageId() + " from " + h.getSender() + " is refused as a replay");
    rejected(() -> v.verify(sameId), Reason.REPLAYED);
    // same nonce, new message id: re-signed header with the first envelope's nonce
    EnvelopeHeader sameNonce = parsedHeader(first).toBuilder().setMessageId(UUID.randomUUID().toString()).build();
    rejected(() -> v.verify(resign(first, sameNonce, suite)), Reason.REPLAYED);

    Opener opener = opener();
    assertThat(opener.open(first, insurerKey(suite), bureauKey(suite).publicKey(), CoverageQuery.parser())
        .payload()).isEqualTo(payload());
    rejected(() -> opener.open(first, insurerKey(suite), bureauKey(suite).publicKey(), CoverageQuery.parser()),
        Reason.REPLAYED);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void wrongRecipient(CipherSuite suite) throws Exception {
    SealedEnvelope toOther = seal(suite, header().setRecipient("INSURER-OTHER").build());
    rejected(() -> open(suite, toOther), Reason.WRONG_RECIPIENT);
    // addressed to us, but sealed for a key we do not hold
    SealedEnvelope otherKey = Sealer.create().seal(header().build(), payload(), bureauKey(suite),
        key(suite, 2).publicKey());
    rejected(() -> open(suite, otherKey), Reason.DECRYPTION_FAILED);
    // the sender key passed does not match header.sender_key_id
    rejected(() -> opener().open(seal(suite, header().build()), insurerKey(suite), key(suite, 2).publicKey(),
        CoverageQuery.parser()), Reason.KEY_UNKNOWN);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void unknownRevokedAndOutOfWindowSenderKeys(CipherSuite suite) throws Exception {
    SealedEnvelope env = seal(suite, header().build());
    KeyDirectory empty = new KeyDirectory();
    rejected(() -> EnvelopeVerifier.builder(empty).clock(CLOCK).replayGuard(new InMemoryReplayGuard(CLOCK))
        .build().verify(env), Reason.SENDER_UNKNOWN);
    KeyDirectory otherKey = new KeyDirectory().register(BUREAU, key(suite, 2).publicKey(), KEYS_FROM, KEYS_UNTIL);
    rejected(() -> EnvelopeVerifier.builder(otherKey).clock(CLOCK).replayGuard(new InMemoryReplayGuard(CLOCK))
        .build().verify(env), Reason.KEY_UNKNOWN);
    KeyDirectory revoked = directory(suite).revoke(BUREAU, bureauKey(suite).keyId());
    rejected(() -> EnvelopeVerifier.builder(revoked).clock(CLOCK).replayGuard(new InMemoryReplayGuard(CLOCK))
        .build().verify(env), Reason.KEY_REVOKED);
    KeyDirectory ended = new KeyDirectory().register(BUREAU, bureauKey(suite).publicKey(), KEYS_FROM, NOW);
    rejected(() -> EnvelopeVerifier.builder(ended).clock(CLOCK).replayGuard(new InMemoryReplayGuard(CLOCK))
        .build().verify(env), Reason.KEY_REVOKED);
  }

  @org.junit.jupiter.api.Test
  void aVerifierOrOpenerWithoutAChosenReplayGuardCannotBeBuilt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnvelopeVerifier.builder(new KeyDirectory()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("replayGuard");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Opener.builder(INSURER).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("replayGuard");
  }
}
