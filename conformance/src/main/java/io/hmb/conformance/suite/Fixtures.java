package io.hmb.conformance.suite;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.hmb.security.InsecureSecretAccess;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
  private final Map<String, Identity> opened = new ConcurrentHashMap<>();

  /** A fixture the suite can act as: its code, signing key and a channel authenticated with its certificate. */
  public record Identity(String code, PrivateKeyHandle key, ManagedChannel channel) {}

  Fixtures(Path dir, String target, TrustBundle trust) {
    this.dir = dir;
    this.target = target;
    this.trust = trust;
  }

  /** The fixture's credentials, or a {@link CaseBody.Skip} naming what is missing. */
  public Identity actAs(String code) {
    return opened.computeIfAbsent(code, c -> {
      Path own = dir.resolve(c);
      if (!Files.exists(own.resolve("signing.key")) || !Files.exists(own.resolve("tls.crt"))) {
        throw new CaseBody.Skip("needs the conformance fixture " + c + " (docs/conformance.md#fixtures): no credentials in "
            + own + "; ./hmb serve --demo creates them, or pass --fixtures DIR");
      }
      try {
        PrivateKeyHandle key = PrivateKeyHandle.fromPem(Files.readString(own.resolve("signing.key"),
            StandardCharsets.US_ASCII), InsecureSecretAccess.get());
        ManagedChannel channel = Grpc.newChannelBuilder(target, MutualTls.client(TlsIdentity.load(own, "tls"), trust))
            .build();
        return new Identity(c, key, channel);
      } catch (Exception e) {
        throw new IllegalStateException("the credentials of fixture " + c + " in " + own + " do not load: " + e.getMessage(), e);
      }
    });
  }

  @Override
  public void close() throws InterruptedException {
    for (Identity i : opened.values()) {
      i.channel().shutdown();
      if (!i.channel().awaitTermination(5, TimeUnit.SECONDS)) {
        i.channel().shutdownNow();
      }
    }
  }
}
