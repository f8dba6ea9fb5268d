package io.hmb.security;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.type.Date;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.replay.InMemoryReplayGuard;
import io.hmb.security.replay.ReplayGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/** Shared keys, clock and messages for the envelope tests. Keys are generated once per JVM. */
final class Fixtures {
  static final String BUREAU = "BUREAU-210200";
  static final String INSURER = "INSURER-PICC-DL";
  static final Instant NOW = Instant.parse("2026-03-01T02:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Instant KEYS_FROM = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant KEYS_UNTIL = Instant.parse("2027-01-01T00:00:00Z");

  private static final Map<CipherSuite, PrivateKeyHandle[]> KEYS = new EnumMap<>(CipherSuite.class);

  private Fixtures() {}

  /** [0] = the bureau's key, [1] = the insurer's key, [2] = a second insurer key (rotation). */
  static synchronized PrivateKeyHandle key(CipherSuite suite, int i) {
    return KEYS.computeIfAbsent(suite, s -> new PrivateKeyHandle[] {
        PrivateKeyHandle.generate(s), PrivateKeyHandle.generate(s), PrivateKeyHandle.generate(s)})[i];
  }

  static PrivateKeyHandle bureauKey(CipherSuite suite) {
    return key(suite, 0);
  }

  static PrivateKeyHandle insurerKey(CipherSuite suite) {
    return key(suite, 1);
  }

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  /** A bureau -> insurer coverage query header created now, expiring in one hour. */
  static EnvelopeHeader.Builder header() {
    return EnvelopeHeader.newBuilder()
        .setMessageId(UUID.randomUUID().toString())
        .setSender(BUREAU)
        .setRecipient(INSURER)
        .setMessageType(MessageType.MESSAGE_TYPE_COVERAGE_QUERY)
        .setAdmdvs("210200")
        .setProductCode("dalian-2026")
        .setCreateTime(ts(NOW))
        .setExpireTime(ts(NOW.plus(Duration.ofHours(1))));
  }

  static CoverageQuery payload() {
    return CoverageQuery.newBuilder()
        .setPerson(Person.newBuilder().setCertType("01").setCertNumber("11010519491231002X").setName("张三"))
        .setDate(Date.newBuilder().setYear(2026).setMonth(3).setDay(1))
        .setMoment(CoverageQuery.Moment.MOMENT_ADMISSION)
        .setHospitalCode("H21020200001")
        .setTreatmentAdmdvs("210202")
        .build();
  }

  static CoverageQuery payloadOfSize(int bytes) {
    CoverageQuery p = payload();
    int pad = Math.max(0, bytes - p.getSerializedSize() - 4);
    return p.toBuilder().setHospitalCode("H" + "0".repeat(pad)).build();
  }

  static SealedEnvelope seal(CipherSuite suite, EnvelopeHeader header) throws EnvelopeException {
    return Sealer.create().seal(header, payload(), bureauKey(suite), insurerKey(suite).publicKey());
  }

  static KeyDirectory directory(CipherSuite suite) {
    return new KeyDirectory()
        .register(BUREAU, bureauKey(suite).publicKey(), KEYS_FROM, KEYS_UNTIL)
        .register(INSURER, insurerKey(suite).publicKey(), KEYS_FROM, KEYS_UNTIL);
  }

  static EnvelopeVerifier verifier(CipherSuite suite, ReplayGuard guard) {
    return EnvelopeVerifier.builder(directory(suite)).clock(CLOCK).replayGuard(guard).build();
  }

  static EnvelopeVerifier verifier(CipherSuite suite) {
    return verifier(suite, new InMemoryReplayGuard(CLOCK));
  }

  static Opener opener(Clock clock) {
    return Opener.builder(INSURER).clock(clock).replayGuard(new InMemoryReplayGuard(clock)).build();
  }

  static Opener opener() {
    return opener(CLOCK);
  }

  /** Opens as the insurer with its single key and the bureau's public key. */
  static OpenedMessage<CoverageQuery> open(CipherSuite suite, SealedEnvelope env) throws EnvelopeException {
    return opener().open(env, insurerKey(suite), bureauKey(suite).publicKey(), CoverageQuery.parser());
  }

  /**
   * Replaces the header bytes and signs again with the bureau's key: lets a test present a header
   * with bad fields but a valid signature (the AEAD tag no longer matches, which only matters after
   * every header check passed).
   */
  static SealedEnvelope resign(SealedEnvelope env, ByteString headerBytes, CipherSuite suite) {
    byte[] sig = bureauKey(suite).sign(headerBytes.toByteArray(), env.getWrappedKey().toByteArray(),
        env.getCiphertext().toByteArray(), null);
    return env.toBuilder().setHeader(headerBytes).setSignature(ByteString.copyFrom(sig)).build();
  }

  static SealedEnvelope resign(SealedEnvelope env, EnvelopeHeader header, CipherSuite suite) {
    return resign(env, header.toByteString(), suite);
  }

  static EnvelopeHeader parsedHeader(SealedEnvelope env) throws Exception {
    return EnvelopeHeader.parseFrom(env.getHeader());
  }
}
