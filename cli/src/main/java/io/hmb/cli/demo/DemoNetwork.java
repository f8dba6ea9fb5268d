package io.hmb.cli.demo;

import io.grpc.BindableService;
import io.hmb.conformance.sim.EndpointServer;
import io.hmb.conformance.sim.GatewayConnection;
import io.hmb.conformance.sim.SimParticipant;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.admin.MessageCounts;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A real gateway (TLS, embedded PostgreSQL) seeded like {@code ./hmb serve --demo}, the simulators'
 * connections to it and their endpoints: what {@code ./hmb demo} plays on, and what the whole-network
 * tests start. {@link #close()} releases all of it, last started first.
 */
public final class DemoNetwork implements AutoCloseable {
  /** Fast retries: every endpoint runs in this process, so a failed push is worth retrying soon. */
  private static final DeliveryPolicy FAST = new DeliveryPolicy(20, Duration.ofMillis(50), Duration.ofMillis(400),
      Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(50), 50);

  private final Gateway gateway;
  private final Path keys;
  private final MessageCounts.Mark start;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  private DemoNetwork(Gateway gateway, Path keys, MessageCounts.Mark start) {
    this.gateway = gateway;
    this.keys = keys;
    this.start = start;
  }

  public static DemoNetwork start(Path dataDir) throws Exception {
    Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir).deliveryPolicy(FAST),
        Clock.systemUTC());
    try {
      DemoSetup.seed(gateway.admin(), dataDir);
      return new DemoNetwork(gateway, dataDir.resolve("demo"), gateway.admin().messageMark());
    } catch (Exception e) {
      gateway.close();
      throw e;
    }
  }

  public Gateway gateway() {
    return gateway;
  }

  /** Where the demo participants' keys are ({@code dataDir/demo/CODE/}). */
  public Path keys() {
    return keys;
  }

  public SimParticipant participant(String code) throws Exception {
    return SimParticipant.load(keys, code);
  }

  public GatewayConnection connect(String code) throws Exception {
    return track(participant(code).connect("localhost:" + gateway.port()));
  }

  /** Serves {@code service} as {@code code} on a free port without telling the gateway (for direct calls). */
  public EndpointServer serve(String code, BindableService service) throws Exception {
    return track(EndpointServer.start(participant(code), 0, service));
  }

  /** Serves {@code service} as {@code code} and makes it that participant's endpoint. */
  public EndpointServer serveRegistered(String code, BindableService service) throws Exception {
    EndpointServer server = serve(code, service);
    gateway.admin().setEndpoint(code, Optional.of(server.address()));
    return server;
  }

  /** Closed with the network, before the gateway. */
  public <T extends AutoCloseable> T track(T resource) {
    started.push(resource);
    return resource;
  }

  /** Messages of this run by city (admdvs): all, dead-lettered or failed, and still in flight. */
  Map<String, MessageCounts.Counts> messagesByCity() throws SQLException {
    return gateway.admin().messagesByCity(start);
  }

  /** Waits up to {@code limit} for every message of this run to be delivered or given up; false on timeout. */
  boolean awaitQuiet(Duration limit) throws Exception {
    return await(limit, () -> {
      try {
        return messagesByCity().values().stream().allMatch(m -> m.inFlight() == 0);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static boolean await(Duration limit, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    gateway.close();
    if (first != null) {
      throw first;
    }
  }
}
