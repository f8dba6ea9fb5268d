package io.hmb.conformance.sim;

import io.grpc.BindableService;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import io.hmb.cli.demo.DemoSetup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A real gateway (TLS, embedded PostgreSQL) seeded with the demo participants and products, as
 * {@code ./hmb serve --demo} does, plus what the tests start on it; {@link #close()} releases all of it,
 * last started first.
 */
final class SimNetwork implements AutoCloseable {
  final Gateway gateway;
  final Path keys;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  private SimNetwork(Gateway gateway, Path keys) {
    this.gateway = gateway;
    this.keys = keys;
  }

  static SimNetwork start(Path dataDir) throws Exception {
    DeliveryPolicy fast = new DeliveryPolicy(20, Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(5),
        Duration.ofSeconds(5), Duration.ofMillis(50), 50);
    Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir).deliveryPolicy(fast),
        Clock.systemUTC());
    try {
      DemoSetup.seed(gateway.admin(), dataDir);
      return new SimNetwork(gateway, dataDir.resolve("demo"));
    } catch (Exception e) {
      gateway.close();
      throw e;
    }
  }

  SimParticipant participant(String code) throws Exception {
    return SimParticipant.load(keys, code);
  }

  GatewayConnection connect(String code) throws Exception {
    return track(participant(code).connect("localhost:" + gateway.port()));
  }

  /** Serves {@code service} as {@code code} on a free port without telling the gateway (for direct calls). */
  EndpointServer serve(String code, BindableService service) throws Exception {
    return track(EndpointServer.start(participant(code), 0, service));
  }

  /** Serves it and makes it the participant's endpoint in the gateway's registry. */
  EndpointServer serveRegistered(String code, BindableService service) throws Exception {
    EndpointServer server = serve(code, service);
    gateway.admin().setEndpoint(code, Optional.of(server.address()));
    return server;
  }

  <T extends AutoCloseable> T track(T resource) {
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
