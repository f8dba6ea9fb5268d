package io.hmb.gateway.scale;

import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import io.hmb.gateway.tls.GatewayTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** How each node of the scale-out test is configured: the same PostgreSQL, the same TLS material. */
final class SharedDatabaseNode {
  /**
   * Quick polls and retries, and leases short enough that a dead node's work is taken over within
   * seconds (push: 2 x 2 s + 5 s; unacknowledged inbox deliveries: 5 s), yet long enough that a loaded
   * machine does not redeliver while both nodes are up (the test asserts none then).
   */
  static final DeliveryPolicy DELIVERY = new DeliveryPolicy(100, Duration.ofMillis(50), Duration.ofMillis(500),
      Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(50), 20);

  private SharedDatabaseNode() {}

  static GatewayConfig config(Path dataDir, String jdbcUrl) {
    return new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir).jdbcUrl(jdbcUrl).jdbcUser("postgres")
        .deliveryPolicy(DELIVERY).shutdownGrace(Duration.ofSeconds(2));
  }

  /**
   * Gives a second node the first one's CA and server certificate, as an operator does: clients trust
   * one CA and every node presents the same name; a node that generated its own CA would refuse every
   * participant's certificate. The node then issues its own client certificate (as GATEWAY) from that
   * CA on start, so recipients can tell the nodes apart.
   */
  static void copyTls(Path fromDataDir, Path toDataDir) throws IOException {
    Path from = fromDataDir.resolve("tls");
    Path to = toDataDir.resolve("tls");
    Files.createDirectories(to);
    for (String file : List.of("ca.crt", "ca.key", GatewayTls.SERVER_NAME + ".crt", GatewayTls.SERVER_NAME + ".key")) {
      Files.copy(from.resolve(file), to.resolve(file));
    }
  }
}
