package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * packaging/hmb.service (docs/operations.md, "systemd"): the sandbox it promises stays in it, and systemd itself
 * finds nothing wrong with it where systemd-analyze is installed.
 */
class SystemdUnitTest {
  static final Path UNIT = Path.of("../packaging/hmb.service");

  @Test
  void theUnitRunsAsItsOwnUserInASandboxAndDrainsOnSigterm() throws Exception {
    String unit = Files.readString(UNIT, StandardCharsets.UTF_8);
    assertThat(unit.lines().map(String::strip)).contains("User=hmb", "StateDirectory=hmb", "StateDirectoryMode=0700",
        "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes", "CapabilityBoundingSet=",
        "UMask=0077", "KillSignal=SIGTERM", "RestartPreventExitStatus=2", "Environment=HMB_DATA_DIR=/var/lib/hmb/data",
        "ExecStart=/usr/bin/java $JAVA_OPTS -jar /opt/hmb/hmb.jar serve");
  }

  @Test
  void systemdAnalyzeVerifiesIt() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed (Debian package systemd)");
    Process verify = new ProcessBuilder(analyze.toString(), "verify", UNIT.toAbsolutePath().normalize().toString())
        .redirectErrorStream(true).start();
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.exitValue()).as(out).isZero();
    assertThat(out.lines().filter(l -> l.contains("hmb.service"))).as(out).isEmpty();
  }
}
