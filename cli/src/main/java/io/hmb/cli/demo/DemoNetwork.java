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
 * The demo's process tree: a real gateway (TLS, embedded PostgreSQL) seeded like {@code ./hmb serve
 * --demo}, the simulators' connections to it and their endpoints, registered with the gateway.
 * {@link #close()} releases all of it, last started first.
 */
final class DemoNetwork implements AutoCloseable {
  /** Fast retries: every endpoint runs in this process, so a failed push is worth retrying soon. */
  private static final DeliveryPolicy FAST = new DeliveryPolicy(20, Duration.ofMillis(50), Duration.ofMillis(400),
      Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(50), 50);

  final Gateway gateway;
  private final Path keys;
  private final MessageCounts.Mark start;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  private DemoNetwork(Gateway gateway, Path keys, MessageCounts.Mark start) {
    this.gateway = gateway;
    this.keys = keys;
    this.start = start;
  }

  static DemoNetwork start(Path dataDir) throws Exception {
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

  GatewayConnection connect(String code) throws Exception {
    return track(SimParticipant.load(keys, code).connect("localhost:" + gateway.port()));
  }

  /** Serves {@code service} as the connection's participant and makes it that participant's endpoint. */
  void serveRegistered(GatewayConnection connection, BindableService service) throws Exception {
    EndpointServer server = track(EndpointServer.start(connection.participant(), 0, service));
    gateway.admin().setEndpoint(connection.code(), Optional.of(server.address()));
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

  private <T extends AutoCloseable> T track(T resource) {
    started.push(resource);
    return resource;
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
