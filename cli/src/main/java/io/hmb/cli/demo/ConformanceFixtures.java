package io.hmb.cli.demo;

import io.hmb.conformance.suite.FixtureCatalog;
import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.ParticipantKey;
import io.hmb.gateway.registry.RegistrySnapshot;
import io.hmb.security.PrivateKeyHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Seeds the conformance fixtures of {@link FixtureCatalog} (docs/conformance.md#fixtures): their keys
 * and certificates go to {@code demo/fixtures/CODE/}, and those the catalogue registers are registered
 * in the state it names.
 */
final class ConformanceFixtures {
  private ConformanceFixtures() {}

  /** Registers what is missing; idempotent like {@link DemoSetup#seed}. Returns how many were added. */
  static int seed(GatewayAdmin admin, Path demoDir, RegistrySnapshot existing)
      throws SQLException, IOException, GeneralSecurityException {
    int added = 0;
    for (FixtureCatalog.Fixture f : FixtureCatalog.ALL) {
      Path dir = demoDir.resolve("fixtures").resolve(f.code());
      boolean registered = existing.participant(f.code()).isPresent();
      if (registered || (!f.registered() && Files.exists(dir.resolve("signing.key")))) {
        continue;
      }
      PrivateKeyHandle key = DemoSetup.writeCredentials(admin, dir, f.code());
      if (f.registered()) {
        ParticipantKey registeredKey = admin.addParticipant(new Participant(f.code(), f.role(), FixtureCatalog.CITY,
            "conformance fixture " + f.code(), status(f.registration()), Optional.empty(), rateLimit(f)),
            key.publicKey());
        if (f.special() == FixtureCatalog.Special.KEY_REVOKED) {
          admin.revokeKey(f.code(), registeredKey.keyId());
        }
      }
      added++;
    }
    // The silent endpoint's port is new on every start of the JVM.
    for (FixtureCatalog.Fixture f : FixtureCatalog.ALL) {
      if (f.special() == FixtureCatalog.Special.SILENT_ENDPOINT) {
        admin.setEndpoint(f.code(), Optional.of(SilentEndpoint.address()));
      }
    }
    return added;
  }

  private static Participant.Status status(FixtureCatalog.Registration registration) {
    return registration == FixtureCatalog.Registration.SUSPENDED ? Participant.Status.SUSPENDED
        : Participant.Status.ACTIVE;
  }

  private static Optional<Participant.RateLimit> rateLimit(FixtureCatalog.Fixture f) {
    return f.special() == FixtureCatalog.Special.RATE_LIMITED
        ? Optional.of(new Participant.RateLimit(FixtureCatalog.THROTTLED_PER_SECOND, 1)) : Optional.empty();
  }
}
