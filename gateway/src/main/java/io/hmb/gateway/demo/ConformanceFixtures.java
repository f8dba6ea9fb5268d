package io.hmb.gateway.demo;

import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.Role;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.ParticipantKey;
import io.hmb.gateway.registry.Registry;
import io.hmb.gateway.registry.RegistrySnapshot;
import io.hmb.gateway.tls.GatewayTls;
import io.hmb.security.InsecureSecretAccess;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.tls.DevCertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Participants in states a conformance run cannot create by itself, so that the suite can show the
 * gateway's refusal for each (docs/conformance.md#fixtures): suspended, with its only key revoked, with
 * no endpoint, with an endpoint that never answers, with a rate limit of one message a second, and
 * credentials the CA issued to a code nobody registered. Their keys and certificates go to
 * {@code demo/fixtures/CODE/}. All are Dalian (210200) hospitals or bureaus; none is a member of a
 * product, so no business flow ever reaches them.
 */
public final class ConformanceFixtures {
  static final String CITY = "210200";
  static final String SILENT = "FIXTURE-SILENT";

  /** A fixture: its code, role, registration status (empty: not registered), and what is special about it. */
  record Fixture(String code, Role role, Optional<Participant.Status> registeredAs, boolean keyRevoked,
      Optional<Participant.RateLimit> rateLimit) {
    Fixture(String code, Role role, Optional<Participant.Status> registeredAs) {
      this(code, role, registeredAs, false, Optional.empty());
    }
  }

  static final List<Fixture> FIXTURES = List.of(
      new Fixture("FIXTURE-SUSPENDED", Role.ROLE_HOSPITAL, Optional.of(Participant.Status.SUSPENDED)),
      new Fixture("FIXTURE-REVOKED-KEY", Role.ROLE_HOSPITAL, Optional.of(Participant.Status.ACTIVE), true,
          Optional.empty()),
      new Fixture("FIXTURE-THROTTLED", Role.ROLE_HOSPITAL, Optional.of(Participant.Status.ACTIVE), false,
          Optional.of(new Participant.RateLimit(1, 1))),
      new Fixture("FIXTURE-NO-ENDPOINT", Role.ROLE_BUREAU, Optional.of(Participant.Status.ACTIVE)),
      new Fixture(SILENT, Role.ROLE_BUREAU, Optional.of(Participant.Status.ACTIVE)),
      new Fixture("FIXTURE-UNREGISTERED", Role.ROLE_HOSPITAL, Optional.empty()));

  private ConformanceFixtures() {}

  /** Registers what is missing; idempotent like {@link DemoSetup#seed}. Returns how many were added. */
  static int seed(Registry registry, GatewayTls tls, Path demoDir, RegistrySnapshot existing)
      throws SQLException, IOException, GeneralSecurityException {
    int added = 0;
    for (Fixture f : FIXTURES) {
      Path dir = demoDir.resolve("fixtures").resolve(f.code());
      boolean registered = existing.participant(f.code()).isPresent();
      if (registered || (f.registeredAs().isEmpty() && Files.exists(dir.resolve("signing.key")))) {
        continue;
      }
      Files.createDirectories(dir);
      PrivateKeyHandle key = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
      DevCertificateAuthority.Pem.writeSecret(dir.resolve("signing.key"), key.toPem(InsecureSecretAccess.get()));
      tls.authority().issueParticipant(f.code(), DevCertificateAuthority.DEFAULT_VALIDITY).writeTo(dir, "tls");
      if (f.registeredAs().isPresent()) {
        registry.addParticipant(new Participant(f.code(), f.role(), CITY, "conformance fixture " + f.code(),
            f.registeredAs().get(), Optional.empty(), f.rateLimit()));
        Instant now = Instant.now();
        registry.addKey(new ParticipantKey(f.code(), key.keyId(), key.suite(), key.publicKey().toSpkiDer(),
            now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(730)), ParticipantKey.Status.ENABLED, true));
        if (f.keyRevoked()) {
          registry.revokeKey(f.code(), key.keyId());
        }
      }
      added++;
    }
    // The silent endpoint's port is new on every start of the JVM.
    registry.setEndpoint(SILENT, SilentEndpoint.address());
    return added;
  }
}
