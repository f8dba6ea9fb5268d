package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.testing.Await;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code hmb serve} processes on one host, each with its own data directory, gRPC port and metrics
 * port, both answer {@code hmb health} SERVING; a third that asks for a port one of them holds is refused
 * with a line naming the port and the flag to change, before it starts anything.
 */
class TwoGatewaysOnOneHostTest {
  private static final Pattern LISTENING = Pattern.compile("gateway listening address=[^ ]+:(\\d+) ");

  @TempDir Path dir;

  private record Node(Process process, Path log, Path dataDir, int metricsPort) {
    int port() {
      Matcher m = LISTENING.matcher(read(log));
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
  }

  private Node serve(String name, int metricsPort) throws IOException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path dataDir = dir.resolve(name);
    Path log = dir.resolve(name + ".log");
    Process process = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Hmb.class.getName(), "serve", "--port", "0", "--data-dir", dataDir.toString(),
        "--metrics-port", Integer.toString(metricsPort), "--metrics-address", "127.0.0.1")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Node(process, log, dataDir, metricsPort);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void twoGatewaysServeSideBySideAndAThirdOnTheirPortsIsToldWhichSettingToChange() throws Exception {
    int metricsA = freePort();
    int metricsB = freePort();
    assertThat(metricsA).isNotEqualTo(metricsB);
    List<Node> nodes = new ArrayList<>();
    try {
      nodes.add(serve("node-a", metricsA));
      nodes.add(serve("node-b", metricsB));
      for (Node node : nodes) {
        Await.until(node.dataDir() + " listening, or gone", Duration.ofSeconds(180),
            () -> !node.process().isAlive() || node.port() > 0);
        assertThat(node.process().isAlive()).as("serve running: %s", read(node.log())).isTrue();
      }
      assertThat(nodes.get(0).port()).isNotEqualTo(nodes.get(1).port());
      for (Node node : nodes) {
        String[] health = run("health", "--target", "localhost:" + node.port(),
            "--ca", node.dataDir().resolve("tls").resolve("ca.crt").toString());
        assertThat(health[0]).as("health of %s: %s", node.dataDir(), health[2]).isEqualTo("0");
        assertThat(health[1]).isEqualTo("SERVING");
      }

      // A third node on node a's ports: refused by the pre-flight, with nothing started or written.
      Path third = dir.resolve("node-c");
      String[] metricsTaken = run("serve", "--port", "0", "--metrics-port", Integer.toString(metricsA),
          "--data-dir", third.toString());
      assertThat(metricsTaken[0]).isEqualTo("1");
      assertThat(metricsTaken[2]).contains("port " + metricsA).contains("--metrics-port");
      String[] grpcTaken = run("serve", "--port", Integer.toString(nodes.get(0).port()), "--metrics-port", "-1",
          "--data-dir", third.toString());
      assertThat(grpcTaken[0]).isEqualTo("1");
      assertThat(grpcTaken[2]).contains("port " + nodes.get(0).port()).contains("--port");
      assertThat(Files.exists(third)).as("nothing written by a refused start").isFalse();
    } finally {
      for (Node node : nodes) {
        node.process().destroy();
      }
      for (Node node : nodes) {
        if (!node.process().waitFor(60, TimeUnit.SECONDS)) {
          node.process().destroyForcibly();
        }
      }
    }
  }

  /** A command in this JVM: {exit code, stdout, stderr}, each stripped. */
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Hmb.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    return new String[] {Integer.toString(exit), out.toString().strip(), err.toString().strip()};
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
