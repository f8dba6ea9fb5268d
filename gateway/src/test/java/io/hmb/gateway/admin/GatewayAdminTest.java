package io.hmb.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.api.Errors;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.db.Transactions;
import io.hmb.gateway.registry.KeyPolicy;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.ParticipantKey;
import io.hmb.gateway.registry.Registry;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.support.TestParty;
import io.hmb.security.PrivateKeyHandle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin door: a change made through it takes effect on its node at once (no cache to invalidate by
 * hand), and keys follow the {@link KeyPolicy}. The registry cache's TTL is 2 s, so a check within that
 * time after a change proves the door refreshed it.
 */
class GatewayAdminTest {
  static final String DALIAN = "210200";
  /** The admin's clock in the key test, so the test knows exactly what "now" it used. */
  static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

  @TempDir static Path dataDir;
  static Gateway gateway;
  static TestParty bureau;
  static TestParty hospital;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, DALIAN, Optional.empty());
    hospital = TestParty.register(gateway, "HOSPITAL-210200-01", Role.ROLE_HOSPITAL, DALIAN, Optional.empty());
  }

  @AfterAll
  static void stop() throws Exception {
    hospital.close();
    bureau.close();
    gateway.close();
  }

  @Test
  void aSuspensionThroughTheDoorRefusesTheNextCallAtOnce() throws Exception {
    // Warm the node's snapshot first, so that only the door's own refresh can make it see the change.
    assertThat(Errors.reason(coverageCall()).orElseThrow()).isNotEqualTo(ErrorReason.SENDER_SUSPENDED);
    try {
      gateway.admin().setStatus(hospital.code, Participant.Status.SUSPENDED);
      assertThat(Errors.reason(coverageCall())).contains(ErrorReason.SENDER_SUSPENDED);
    } finally {
      gateway.admin().setStatus(hospital.code, Participant.Status.ACTIVE);
    }
    assertThat(Errors.reason(coverageCall()).orElseThrow()).isNotEqualTo(ErrorReason.SENDER_SUSPENDED);
  }

  /** A coverage check from the hospital to the bureau (no product matters: only the refusal's reason is read). */
  private static Throwable coverageCall() {
    try {
      EligibilityServiceGrpc.newBlockingStub(hospital.channel).withDeadlineAfter(10, TimeUnit.SECONDS).checkCoverage(
          hospital.seal(hospital.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, bureau, DALIAN)
              .setProductCode("no-such-product"), CoverageQuery.getDefaultInstance(), bureau));
      return new AssertionError("the call was answered");
    } catch (RuntimeException e) {
      return e;
    }
  }

  @Test
  void keysFollowThePolicyAndARotationEndsThePreviousKeysAfterTheOverlap() throws Exception {
    Clock fixed = Clock.fixed(NOW, ZoneOffset.UTC);
    KeyPolicy policy = new KeyPolicy(Duration.ofDays(30), Duration.ofHours(1), Duration.ofDays(2));
    DatabaseConsole sql = DatabaseConsole.asGateway(dataDir);
    try (GatewayAdmin admin = new GatewayAdmin(new Transactions(sql.dataSource()), () -> {}, dataDir,
        policy, fixed, sql)) {
      PrivateKeyHandle first = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
      ParticipantKey k1 = admin.addParticipant(new Participant("PHARMACY-210200-09", Role.ROLE_PHARMACY, DALIAN,
          "pharmacy (test)", Participant.Status.ACTIVE, Optional.empty()), first.publicKey());
      assertThat(k1.notBefore()).isEqualTo(NOW.minus(Duration.ofHours(1)));
      assertThat(k1.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(30)));
      assertThat(k1.primary()).isTrue();

      PrivateKeyHandle second = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
      GatewayAdmin.KeyRotation rotation = admin.rotateKey("PHARMACY-210200-09", second.publicKey(), Duration.ofDays(2));
      assertThat(rotation.previousKeysEnd()).isEqualTo(NOW.plus(Duration.ofDays(2)));

      List<ParticipantKey> keys = admin.registry().keys("PHARMACY-210200-09");
      assertThat(keys).hasSize(2);
      assertThat(keys.get(0).keyId()).isEqualTo(second.keyId());
      assertThat(keys.get(0).primary()).isTrue();
      assertThat(keys.get(0).notAfter()).isEqualTo(NOW.plus(Duration.ofDays(30)));
      assertThat(keys.get(1).keyId()).isEqualTo(first.keyId());
      assertThat(keys.get(1).primary()).isFalse();
      assertThat(keys.get(1).notAfter()).isEqualTo(NOW.plus(Duration.ofDays(2)));

      assertThatThrownBy(() -> admin.revokeKey("PHARMACY-210200-09", "0".repeat(32)))
          .isInstanceOf(Registry.RegistryException.class);
    }
  }

  @Test
  void aKeyPolicyWithoutValidityIsRefused() {
    assertThatThrownBy(() -> new KeyPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("validity > 0");
    assertThatThrownBy(() -> new KeyPolicy(Duration.ofDays(1), Duration.ofDays(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backdate >= 0");
  }
}
