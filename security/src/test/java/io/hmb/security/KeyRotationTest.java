package io.hmb.security;

import static io.hmb.security.Fixtures.*;
import static io.hmb.security.Reasons.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.EnvelopeException.Reason;
import io.hmb.security.replay.ReplayGuard;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyRotationTest {
  private static final Instant OVERLAP_START = Instant.parse("2026-02-01T00:00:00Z");

  private static Opener opener() {
    return Opener.builder(INSURER).clock(CLOCK).replayGuard(ReplayGuard.deferredToCaller()).build();
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void recipientOpensForBothKeysDuringOverlapAndOnlyTheNewAfter(CipherSuite suite) throws Exception {
    PrivateKeyHandle oldKey = insurerKey(suite);
    PrivateKeyHandle newKey = key(suite, 2);
    KeyRing ring = KeyRing.builder().add(oldKey, KEYS_FROM, KEYS_UNTIL).add(newKey, OVERLAP_START, KEYS_UNTIL)
        .build().toBuilder().primary(newKey.keyId()).build();
    KeyDirectory senders = directory(suite);
    KeyDirectory insurerKeys = new KeyDirectory().register(INSURER, oldKey.publicKey(), KEYS_FROM, NOW.plusSeconds(60))
        .register(INSURER, newKey.publicKey(), OVERLAP_START, KEYS_UNTIL);
    assertThat(insurerKeys.sealingKey(INSURER, NOW)).contains(newKey.publicKey());

    SealedEnvelope forOld = Sealer.create().seal(header().build(), payload(), bureauKey(suite), oldKey.publicKey());
    SealedEnvelope forNew = Sealer.create().seal(header().build(), payload(), bureauKey(suite), newKey.publicKey());
    assertThat(opener().open(forOld, ring, senders, CoverageQuery.parser()).payload()).isEqualTo(payload());
    assertThat(opener().open(forNew, ring, senders, CoverageQuery.parser()).payload()).isEqualTo(payload());

    KeyRing afterOverlap = ring.toBuilder().disable(oldKey.keyId()).build();
    rejected(() -> opener().open(forOld, afterOverlap, senders, CoverageQuery.parser()), Reason.DECRYPTION_FAILED);
    assertThat(opener().open(forNew, afterOverlap, senders, CoverageQuery.parser()).payload()).isEqualTo(payload());
    KeyRing destroyed = afterOverlap.toBuilder().destroy(oldKey.keyId()).build();
    rejected(() -> opener().open(forOld, destroyed, senders, CoverageQuery.parser()), Reason.DECRYPTION_FAILED);
    assertThat(destroyed.entries()).extracting(KeyRing.Entry::status)
        .containsExactly(KeyStatus.DESTROYED, KeyStatus.ENABLED);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void senderRotationAndRevocation(CipherSuite suite) throws Exception {
    PrivateKeyHandle oldKey = bureauKey(suite);
    PrivateKeyHandle newKey = key(suite, 2);
    KeyRing before = KeyRing.builder().add(oldKey, KEYS_FROM, KEYS_UNTIL).build();
    KeyRing during = before.toBuilder().add(newKey, OVERLAP_START, KEYS_UNTIL).primary(newKey.keyId()).build();
    KeyDirectory directory = new KeyDirectory().register(BUREAU, oldKey.publicKey(), KEYS_FROM, KEYS_UNTIL)
        .register(BUREAU, newKey.publicKey(), OVERLAP_START, KEYS_UNTIL);
    EnvelopeVerifier verifier = EnvelopeVerifier.builder(directory).clock(CLOCK)
        .replayGuard(ReplayGuard.deferredToCaller()).build();
    PublicKeyHandle to = insurerKey(suite).publicKey();

    SealedEnvelope byOld = Sealer.create().seal(header().build(), payload(), before, to);
    SealedEnvelope byNew = Sealer.create().seal(header().build(), payload(), during, to);
    assertThat(verifier.verify(byOld).senderKeyId()).isEqualTo(oldKey.keyId());
    assertThat(verifier.verify(byNew).senderKeyId()).isEqualTo(newKey.keyId());

    directory.revoke(BUREAU, oldKey.keyId());
    rejected(() -> verifier.verify(byOld), Reason.KEY_REVOKED);
    assertThat(verifier.verify(byNew).senderKeyId()).isEqualTo(newKey.keyId());
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void sealingWithAnExpiredPrimaryIsRefused(CipherSuite suite) {
    KeyRing ring = KeyRing.builder().add(bureauKey(suite), KEYS_FROM, NOW).build();
    rejected(() -> Sealer.create().seal(header().build(), payload(), ring, insurerKey(suite).publicKey()),
        Reason.KEY_REVOKED);
  }

  @Test
  void ringRulesAndMetadataOnlyToString() {
    PrivateKeyHandle a = bureauKey(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
    PrivateKeyHandle b = key(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3, 2);
    KeyRing ring = KeyRing.builder().add(a, KEYS_FROM, KEYS_UNTIL).add(b, KEYS_FROM, KEYS_UNTIL).build();
    assertThat(ring.primary()).isSameAs(a);
    assertThat(ring.enabledPublicKeys()).containsExactly(a.publicKey(), b.publicKey());
    assertThatThrownBy(() -> ring.toBuilder().disable(a.keyId()).build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ring.toBuilder().destroy(b.keyId()).enable(b.keyId()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ring.toBuilder().add(a, KEYS_FROM, KEYS_UNTIL)).isInstanceOf(IllegalArgumentException.class);
    String d = a.parameters().getD().toString(16);
    assertThat(ring.toString()).contains(a.keyId(), "ENABLED", "primary=true").doesNotContain(d);
  }
}
