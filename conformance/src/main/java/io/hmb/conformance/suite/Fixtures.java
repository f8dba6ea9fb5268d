package io.hmb.conformance.suite;

import io.hmb.client.DirectoryCache;
import io.hmb.client.GatewayException;
import io.hmb.conformance.sim.GatewayConnection;
import io.hmb.conformance.sim.SimParticipant;
import io.hmb.security.tls.TrustBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conformance fixtures (docs/conformance.md#fixtures): participants the gateway operator set up in
 * states a run cannot create, such as suspended or with a revoked key. Where the suite must act as one,
 * it loads its credentials from {@code DIR/CODE/} ({@code signing.key}, {@code tls.crt}, {@code tls.key});
 * {@code ./hmb serve --demo} writes them to {@code data/demo/fixtures}. A case whose fixture is missing is
 * skipped, saying what to set up.
 */
public final class Fixtures implements AutoCloseable {
  private final Path dir;
  private final String target;
  private final TrustBundle trust;
  private final Map<String, GatewayConnection> opened = new ConcurrentHashMap<>();

  Fixtures(Path dir, String target, TrustBundle trust) {
    this.dir = dir;
    this.target = target;
    this.trust = trust;
  }

  /** The fixture connected with its own certificate, or a {@link CaseBody.Skip} naming what is missing. */
  public GatewayConnection actAs(String code) {
    return opened.computeIfAbsent(code, c -> {
      Path own = dir.resolve(c);
      if (!Files.exists(own.resolve("signing.key")) || !Files.exists(own.resolve("tls.crt"))) {
        throw new CaseBody.Skip("needs the conformance fixture " + c + " (docs/conformance.md#fixtures): no credentials in "
            + own + "; ./hmb serve --demo creates them, or pass --fixtures DIR");
      }
      try {
        return SimParticipant.inDirectory(own, trust).connect(target);
      } catch (Exception e) {
        throw new IllegalStateException("the credentials of fixture " + c + " in " + own + " do not load: " + e.getMessage(), e);
      }
    });
  }

  /**
   * {@code code} if the target registered that fixture, else a {@link CaseBody.Skip} saying what to set up.
   * A case addressing a fixture as recipient must ask first: the gateway would refuse a missing one as
   * RECIPIENT_UNKNOWN, a failure that says nothing about what the case checks.
   */
  public String registered(String code, DirectoryCache directory) {
    try {
      directory.participant(code);
      return code;
    } catch (GatewayException e) {
      throw new CaseBody.Skip("needs the conformance fixture " + code
          + " registered at the target (docs/conformance.md#fixtures): " + e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (GatewayConnection c : opened.values()) {
      c.close();
    }
  }
}
