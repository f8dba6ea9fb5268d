package io.hmb.gateway.scale;

import io.hmb.gateway.Gateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway node in its own JVM, on the shared PostgreSQL, so the test can kill it with SIGKILL: no
 * shutdown hook, no lease released, no transaction finished, as when a machine dies.
 */
final class NodeProcess implements AutoCloseable {
  private static final String READY = "READY ";

  private final Process process;
  final int port;

  private NodeProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The child's entry point: args are the data directory and the JDBC URL; prints "READY port". */
  public static void main(String[] args) throws Exception {
    Gateway gateway = Gateway.start(SharedDatabaseNode.config(Path.of(args[0]), args[1]), Clock.systemUTC());
    System.out.println(READY + gateway.port());
    System.out.flush();
    gateway.blockUntilShutdown();
  }

  static NodeProcess start(Path dataDir, String jdbcUrl) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        NodeProcess.class.getName(), dataDir.toString(), jdbcUrl).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null) { // ends when the child exits
      if (line.startsWith(READY)) {
        Thread drain = new Thread(() -> drain(out), "node-b-output");
        drain.setDaemon(true);
        drain.start();
        return new NodeProcess(process, Integer.parseInt(line.substring(READY.length()).trim()));
      }
      seen.add(line);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the second gateway node did not start:\n" + String.join("\n", seen));
  }

  /** SIGKILL, and wait until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the killed node is still running");
    }
  }

  /** Reads the child's output so it never blocks on a full pipe. */
  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discard: the child logs at INFO
      }
    } catch (IOException gone) {
      // the process was killed
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
