package io.hmb.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.Role;
import io.hmb.security.KeyRing;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Directory answers are reused briefly and dropped when the gateway says a key is stale. */
class DirectoryCacheTest extends Fixture {

  void leadServes(KeyRing keys) throws Exception {
    gateway.serveEndpoint(LEAD, RecipientEndpoint.builder(LEAD, keys, client(LEAD, LEAD_KEY).directory()).allowCallsWithoutTls()
        .onCoverageQuery((q, ctx) -> CoverageDecision.newBuilder().setCovered(true).build()).build());
  }

  @Test
  void participantsAreCachedForTheTtl() throws Exception {
    leadServes(KeyRing.builder().add(LEAD_KEY, Instant.EPOCH, Instant.now().plusSeconds(3600)).build());
    ManualClock clock = new ManualClock();
    HospitalClient hospital = new HospitalClient(client(HOSPITAL, HOSPITAL_KEY, clock));

    hospital.checkCoverage(PRODUCT, coverageQuery());
    int afterFirst = gateway.getParticipantCalls.get();
    hospital.checkCoverage(PRODUCT, coverageQuery());
    int afterSecond = gateway.getParticipantCalls.get();
    clock.advance(DirectoryCache.DEFAULT_TTL.plusSeconds(1));
    hospital.checkCoverage(PRODUCT, coverageQuery());

    assertThat(afterSecond).isEqualTo(afterFirst);
    assertThat(gateway.getParticipantCalls.get()).isGreaterThan(afterSecond);
  }

  @Test
  void keyUnknownDropsTheCachedKeyAndTheRetryIsSealedForTheNewOne() throws Exception {
    Instant end = Instant.now().plusSeconds(3600);
    leadServes(KeyRing.builder().add(LEAD_KEY, Instant.EPOCH, end).build());
    HospitalClient hospital = new HospitalClient(clientBuilder(HOSPITAL, HOSPITAL_KEY)
        .retryPolicy(RetryPolicy.none()).build()); // the key refresh works even without retries
    hospital.checkCoverage(PRODUCT, coverageQuery());
    int before = gateway.getParticipantCalls.get();

    // The lead rotates: the directory now lists only the new key; the hospital's cache still has the old.
    PrivateKeyHandle newKey = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
    leadServes(KeyRing.builder().add(LEAD_KEY, Instant.EPOCH, end).add(newKey, Instant.EPOCH, end)
        .primary(newKey.keyId()).build());
    gateway.register(LEAD, Role.ROLE_INSURER, DALIAN, newKey.publicKey());
    Answer<CoverageDecision> answer = hospital.checkCoverage(PRODUCT, coverageQuery());

    assertThat(answer.payload().getCovered()).isTrue();
    assertThat(gateway.received).extracting(EnvelopeHeader::getRecipientKeyId)
        .containsExactly(LEAD_KEY.keyId(), LEAD_KEY.keyId(), newKey.keyId());
    assertThat(gateway.getParticipantCalls.get()).isGreaterThan(before);
    assertThat(waits).isEmpty();
  }

  @Test
  void productLeadIsResolvedAndCached() {
    DirectoryCache directory = client(HOSPITAL, HOSPITAL_KEY).directory();
    assertThat(directory.leadInsurer(PRODUCT)).isEqualTo(LEAD);
    gateway.addProduct(PRODUCT, DALIAN, CO);
    assertThat(directory.leadInsurer(PRODUCT)).isEqualTo(LEAD); // within the TTL
    directory.invalidate(PRODUCT);
    assertThat(directory.leadInsurer(PRODUCT)).isEqualTo(CO);
  }

  @Test
  void unknownProductIsAGatewayExceptionWithItsReason() {
    GatewayClient hospital = client(HOSPITAL, HOSPITAL_KEY);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HospitalClient(hospital)
            .checkCoverage("atlantis-2025", coverageQuery()))
        .isInstanceOfSatisfying(GatewayException.class, e ->
            assertThat(e.reason()).contains(io.hmb.api.v1.ErrorReason.PRODUCT_UNKNOWN));
    assertThat(gateway.received).isEmpty();
    assertThat(Duration.ZERO).isZero();
  }
}
