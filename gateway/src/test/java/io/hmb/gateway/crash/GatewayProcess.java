package io.hmb.gateway.crash;

import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A gateway in its own JVM, for tests that kill it (SIGKILL) or stop it (SIGTERM). Prints "READY" once serving. */
public final class GatewayProcess {
  private GatewayProcess() {}

  /** Whatever happened in a test, no gateway child (or the PostgreSQL it leaves) outlives it. */
  public static void killAndCleanUp(Process gateway, Path dataDir) throws Exception {
    if (gateway != null && gateway.isAlive()) {
      gateway.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    io.hmb.gateway.db.EmbeddedDatabase.stopOrphanedServerForTests(dataDir.resolve("postgres"));
  }

  /** Starts one on {@code port} and returns once it prints READY; its later output is read and discarded. */
  public static Process launch(Path dataDir, int port) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        GatewayProcess.class.getName(), dataDir.toString(), Integer.toString(port));
    pb.redirectErrorStream(true);
    Process process = pb.start();
    java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
        java.nio.charset.StandardCharsets.UTF_8));
    java.util.List<String> seen = new java.util.ArrayList<>();
    String line;
    while ((line = out.readLine()) != null) {
      seen.add(line);
      if (line.equals("READY")) {
        Thread drain = new Thread(() -> {
          try {
            while (out.readLine() != null) {
              // discard; the pipe must not fill up
            }
          } catch (java.io.IOException gone) {
            // the process ended
          }
        }, "gateway-output");
        drain.setDaemon(true);
        drain.start();
        return process;
      }
    }
    process.destroyForcibly();
    throw new AssertionError("gateway process did not start:\n" + String.join("\n", seen));
  }

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
