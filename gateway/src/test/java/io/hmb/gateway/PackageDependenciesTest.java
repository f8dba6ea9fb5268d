package io.hmb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Import rules of the gateway's main code, read from its sources (the build runs tests in the module). */
class PackageDependenciesTest {
  private static final Path MAIN = Path.of("src/main/java/io/hmb/gateway");

  private static List<String> filesImporting(Path dir, String prefix) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".java")).filter(f -> {
        try {
          return Files.readAllLines(f).stream().anyMatch(l -> l.startsWith("import " + prefix)
              || l.startsWith("import static " + prefix));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).map(f -> MAIN.relativize(f).toString()).sorted().toList();
    }
  }

  @Test
  void cryptographyStaysInTheSecurityModule() throws IOException {
    assertThat(filesImporting(MAIN, "org.bouncycastle")).as("gateway code hashing or signing with BouncyCastle; "
        + "use io.hmb.security (Sm3, Sealer, Opener, ...)").isEmpty();
  }

  @Test
  void theAuditTrailDependsOnNothingAboveIt() throws IOException {
    // The store writes audit rows in its own transactions (store -> audit); the reverse would be a cycle.
    assertThat(filesImporting(MAIN.resolve("audit"), "io.hmb.gateway.store")).isEmpty();
    assertThat(filesImporting(MAIN.resolve("audit"), "io.hmb.gateway.delivery")).isEmpty();
  }
}
