package io.hmb.cli.demo;

import io.grpc.BindableService;
import io.hmb.conformance.sim.EndpointServer;
import io.hmb.conformance.sim.GatewayConnection;
import io.hmb.conformance.sim.SimParticipant;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import io.hmb.gateway.demo.DemoSetup;
import io.hmb.gateway.store.MessageState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
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
  private final long firstMessageId;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  private DemoNetwork(Gateway gateway, Path keys, long firstMessageId) {
    this.gateway = gateway;
    this.keys = keys;
    this.firstMessageId = firstMessageId;
  }

  static DemoNetwork start(Path dataDir) throws Exception {
    Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir).deliveryPolicy(FAST),
        Clock.systemUTC());
    try {
      DemoSetup.seed(gateway.registry().registry(), gateway.tls(), dataDir);
      gateway.registry().invalidate();
      return new DemoNetwork(gateway, dataDir.resolve("demo"), lastMessageId(gateway));
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
    gateway.registry().registry().setEndpoint(connection.code(), server.address());
    gateway.registry().invalidate();
  }

  /** What the gateway recorded for one city's messages of this run. */
  record Messages(long total, long failed, long inFlight) {}

  /** Messages of this run by city (admdvs): all, dead-lettered or failed, and still in flight. */
  Map<String, Messages> messagesByCity() throws SQLException {
    Map<String, Messages> out = new HashMap<>();
    try (Connection c = gateway.database().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT admdvs, count(*), "
            + "count(*) FILTER (WHERE " + MessageState.isIn(MessageState.DEAD_LETTERED, MessageState.FAILED) + "), "
            + "count(*) FILTER (WHERE " + MessageState.isIn(MessageState.FORWARDING) + " OR (delivery = 'STORE_AND_FORWARD' "
            + "AND " + MessageState.notIn(MessageState.ACKNOWLEDGED, MessageState.DEAD_LETTERED) + ")) "
            + "FROM message WHERE id > ? GROUP BY admdvs")) {
      s.setLong(1, firstMessageId);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1).trim(), new Messages(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    return out;
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

  private static long lastMessageId(Gateway gateway) throws SQLException {
    try (Connection c = gateway.database().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT coalesce(max(id), 0) FROM message");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
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
