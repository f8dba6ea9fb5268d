package io.hmb.gateway.scale;

import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import java.nio.file.Path;
import java.time.Duration;

/** How each node of the scale-out test is configured: the same PostgreSQL, quick delivery. */
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
}
