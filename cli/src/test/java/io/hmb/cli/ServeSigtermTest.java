package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --help} documents exit 0 for a clean stop: SIGTERM must give 0, not the JVM's 143. The same run
 * asks for JSON log lines (HMB_LOG_FORMAT=json), as a log collector would, and reads them back as JSON.
 */
class ServeSigtermTest {
  @Test
  void aCleanStopOnSigtermExitsZeroAndLogLinesAreJsonWhenAsked(@TempDir Path dir) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = dir.resolve("serve.log");
    ProcessBuilder builder = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Hmb.class.getName(), "serve", "--port", "0", "--metrics-port", "-1", "--data-dir", dir.resolve("data").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("HMB_LOG_FORMAT", "json");
    Process serve = builder.start();
    try {
      Await.until("serve listening, or gone", Duration.ofSeconds(120),
          () -> !serve.isAlive() || read(log).contains("gateway listening"));
      assertThat(serve.isAlive()).as("serve is running: %s", read(log)).isTrue();
      serve.destroy(); // SIGTERM
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve stopped").isTrue();
      assertThat(serve.exitValue()).as("exit code; output %s", read(log)).isZero();
      assertThat(read(log)).contains("draining in-flight calls").contains("gateway stopped");
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      var listening = read(log).lines().filter(l -> l.contains("gateway listening")).findFirst().orElseThrow();
      var event = json.readTree(listening);
      assertThat(event.get("level").asText()).isEqualTo("INFO");
      assertThat(event.get("loggerName").asText()).isEqualTo("io.hmb.gateway.Gateway");
      assertThat(event.get("formattedMessage").asText()).startsWith("gateway listening address=127.0.0.1:");
      assertThat(event.get("timestamp").asLong()).isPositive();
    } finally {
      serve.destroyForcibly();
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
