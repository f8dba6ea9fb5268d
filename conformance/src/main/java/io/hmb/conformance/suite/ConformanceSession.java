package io.hmb.conformance.suite;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.hmb.api.v1.Role;
import io.hmb.client.GatewayClient;
import io.hmb.client.RetryPolicy;
import io.hmb.conformance.sim.SimParticipant;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TrustBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a run shares: the participant the suite acts as (its keys and TLS certificate from a keys
 * directory), channels to the target, and an SDK client without retries (a conformance check must
 * see the first answer, not a retried one).
 */
public final class ConformanceSession implements AutoCloseable {
  /** The product a city's cases address unless told otherwise. */
  static final Map<String, String> DEFAULT_PRODUCT = Map.of("210200", "dalian-2025-upgrade", "620600", "wuwei-2025-basic",
      "371500", "liaocheng-2024");

  public final String target;
  public final Role role;
  public final String self;
  public final String city;
  public final String product;
  public final String bureau;
  public final PrivateKeyHandle key;
  /** Whom the business cases ask about: a person the counterpart has enrolled, or a made-up one. */
  public final io.hmb.api.v1.Person person;
  public final ManagedChannel channel;
  public final ManagedChannel anonymous;
  public final GatewayClient client;
  /** Participants in states a run cannot create (suspended, revoked key...), for the negative cases. */
  public final Fixtures fixtures;
  /** The participant the suite acts as: its keys and its TLS client certificate (the adversary cases use it). */
  public final SimParticipant acting;
  /** The audit log's pinned public key: log-key.pub.pem beside ca.crt, as ./hmb serve --demo writes it. */
  public final java.util.Optional<io.hmb.security.CheckpointVerifier> auditLogKey;

  private ConformanceSession(SimParticipant acting, String target, Role role, String self, String city, String product,
      PrivateKeyHandle key, io.hmb.api.v1.Person person, ManagedChannel channel, ManagedChannel anonymous,
      Fixtures fixtures, java.util.Optional<io.hmb.security.CheckpointVerifier> auditLogKey) {
    this.acting = acting;
    this.target = target;
    this.role = role;
    this.self = self;
    this.city = city;
    this.product = product;
    this.bureau = "BUREAU-" + city;
    this.key = key;
    this.person = person;
    this.channel = channel;
    this.anonymous = anonymous;
    this.fixtures = fixtures;
    this.auditLogKey = auditLogKey;
    this.client = GatewayClient.builder(self).channel(channel).signingKey(key).retryPolicy(RetryPolicy.none()).build();
  }

  /**
   * Opens a session from a keys directory holding {@code signing.key} (PKCS#8 PEM), {@code tls.crt},
   * {@code tls.key}, and {@code ca.crt} (here or in the parent directory), as {@code ./hmb serve --demo} writes
   * them; the fixtures' credentials are in {@code fixtures} (default: {@code fixtures} beside the keys directory).
   */
  public static ConformanceSession open(String target, Role role, Path keys, String city, String product,
      io.hmb.api.v1.Person person, Path fixtures) throws Exception {
    Path ca = Files.exists(keys.resolve("ca.crt")) ? keys.resolve("ca.crt") : keys.toAbsolutePath().getParent().resolve("ca.crt");
    TrustBundle trust = TrustBundle.load(ca);
    SimParticipant acting = SimParticipant.inDirectory(keys, trust);
    String resolvedCity = city != null ? city : acting.code().replaceAll(".*?(\\d{6}).*", "$1");
    String resolvedProduct = product != null ? product : DEFAULT_PRODUCT.get(resolvedCity);
    if (resolvedProduct == null) {
      throw new IllegalArgumentException("no default product for city " + resolvedCity + "; pass --product");
    }
    Path fixturesDir = fixtures != null ? fixtures : keys.toAbsolutePath().getParent().resolve("fixtures");
    return new ConformanceSession(acting, target, role, acting.code(), resolvedCity, resolvedProduct, acting.signingKey(), person,
        acting.channel(target), Grpc.newChannelBuilder(target, MutualTls.anonymousToGateway(trust)).build(),
        new Fixtures(fixturesDir, target, trust), auditLogKey(ca.resolveSibling(AUDIT_LOG_KEY)));
  }

  /** The name of the audit log's public key file beside ca.crt. */
  public static final String AUDIT_LOG_KEY = "log-key.pub.pem";

  private static java.util.Optional<io.hmb.security.CheckpointVerifier> auditLogKey(Path file) throws Exception {
    return Files.exists(file)
        ? java.util.Optional.of(io.hmb.security.CheckpointVerifier.fromPem(Files.readString(file)))
        : java.util.Optional.empty();
  }

  /** A fresh per-case context. */
  public ConformanceContext newContext() {
    return new ConformanceContext(this, new ArrayList<>());
  }

  @Override
  public void close() throws InterruptedException {
    fixtures.close();
    for (ManagedChannel c : List.of(channel, anonymous)) {
      c.shutdown();
      if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
        c.shutdownNow();
      }
    }
  }
}
