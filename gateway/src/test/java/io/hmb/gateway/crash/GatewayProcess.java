package io.hmb.gateway.crash;

import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A gateway in its own JVM, for tests that kill it with SIGKILL. Prints "READY" once serving. */
public final class GatewayProcess {
  private GatewayProcess() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    DeliveryPolicy fast = new DeliveryPolicy(50, Duration.ofMillis(50), Duration.ofMillis(500),
        Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofMillis(50), 20);
    Gateway gateway = Gateway.start(new GatewayConfig().port(port).dataDir(dataDir).metricsPort(-1)
        .deliveryPolicy(fast).shutdownGrace(Duration.ofSeconds(2)), Clock.systemUTC());
    System.out.println("READY");
    System.out.flush();
    gateway.blockUntilShutdown();
  }
}
