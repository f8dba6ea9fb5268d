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

/** {@code serve --help} documents exit 0 for a clean stop: SIGTERM must give 0, not the JVM's 143. */
class ServeSigtermTest {
  @Test
  void aCleanStopOnSigtermExitsZero(@TempDir Path dir) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = dir.resolve("serve.log");
    Process serve = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Hmb.class.getName(), "serve", "--port", "0", "--metrics-port", "-1", "--data-dir", dir.resolve("data").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Await.until("serve listening, or gone", Duration.ofSeconds(120),
          () -> !serve.isAlive() || read(log).contains("gateway listening"));
      assertThat(serve.isAlive()).as("serve is running: %s", read(log)).isTrue();
      serve.destroy(); // SIGTERM
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("serve stopped").isTrue();
      assertThat(serve.exitValue()).as("exit code; output %s", read(log)).isZero();
      assertThat(read(log)).contains("draining in-flight calls").contains("gateway stopped");
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
