package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** hmb audit: the public key participants pin, and verify's verdict on a checkpoint file that was tampered with. */
class AuditCommandTest {
  @TempDir Path dataDir;

  record Run(int exit, String out, String err) {}

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new AuditCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void publicKeyPrintsWhatParticipantsPinAndVerifyFailsOnAForgedCheckpoint() throws Exception {
    String dir = dataDir.toString();
    try (Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC())) {
      // As on a terminal: an output that is never flushed by anyone but the command (the JVM exits right after).
      java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
      CommandLine cl = new CommandLine(new AuditCommand());
      cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(stdout, java.nio.charset.StandardCharsets.UTF_8), false));
      assertThat(cl.execute("public-key", "--data-dir", dir)).isZero();
      assertThat(stdout.toString(java.nio.charset.StandardCharsets.UTF_8)).startsWith("-----BEGIN PUBLIC KEY-----")
          .isEqualTo(Files.readString(gateway.admin().auditLogPublicKeyFile()));
    }
    Run intact = run("verify", "--data-dir", dir);
    assertThat(intact.exit()).as(intact.out() + intact.err()).isZero();
    assertThat(intact.out()).startsWith("audit trail intact").contains("signed checkpoints");

    // Someone with the files but not the key appends a checkpoint of their own making.
    Path checkpoints = dataDir.resolve("audit/checkpoints");
    List<String> lines = Files.readAllLines(checkpoints);
    String[] parts = lines.get(0).split(" ");
    char c = parts[2].charAt(10);
    parts[2] = parts[2].substring(0, 10) + (c == 'A' ? 'B' : 'A') + parts[2].substring(11);
    Files.writeString(checkpoints, String.join(" ", parts) + "\n", java.nio.file.StandardOpenOption.APPEND);
    Run forged = run("verify", "--data-dir", dir);
    assertThat(forged.exit()).isEqualTo(1);
    assertThat(forged.out()).startsWith("audit trail BROKEN").contains("signature does not verify")
        .doesNotContain("Exception");
    assertThat(forged.out().strip().lines()).hasSize(1);

    Run typo = run("public-key", "--data-dir", dataDir.resolve("nope").toString());
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).contains("is not a gateway data directory");
  }
}
