package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator's ordinary mistakes get one plain line and the documented exit code, no stack trace, nothing written. */
class PlainErrorsTest {
  @TempDir Path tmp;

  static HmbRun hmb(String... args) {
    return HmbRun.of(args);
  }

  private static void plain(HmbRun r) {
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void aPortOutOfRangeIsAUsageErrorBeforeAnythingIsWritten() {
    Path dir = tmp.resolve("data");
    HmbRun r = hmb("serve", "--port", "99999", "--metrics-port", "-1", "--data-dir", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    plain(r);
    assertThat(r.err()).contains("port");
    assertThat(Files.exists(dir)).as("nothing made for a command that cannot start").isFalse();
  }

  @Test
  void aTakenPortIsNamedBeforeTheDatabaseIsStartedOrAnythingWritten() throws Exception {
    Path dir = tmp.resolve("data");
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      HmbRun r = hmb("serve", "--port", Integer.toString(taken.getLocalPort()), "--metrics-port", "-1",
          "--data-dir", dir.toString());
      assertThat(r.exit()).isEqualTo(1);
      plain(r);
      assertThat(r.err()).contains("port " + taken.getLocalPort()).contains("is taken").contains("--port");
    }
    assertThat(Files.exists(dir)).isFalse();
  }

  @Test
  void healthWithNothingListeningSaysSoOnOneLineWithoutATrace() throws Exception {
    Path ca = tmp.resolve("ca.crt");
    io.hmb.security.tls.DevCertificateAuthority.Pem.write(ca, io.hmb.security.tls.DevCertificateAuthority.Pem.encode(
        io.hmb.security.tls.DevCertificateAuthority.create("test CA", java.time.Clock.systemUTC()).certificate()));
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    HmbRun r = hmb("health", "--ca", ca.toString(), "--target", "127.0.0.1:" + closedPort, "--timeout-ms", "3000");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("failed: UNAVAILABLE").doesNotContain("\tat ").doesNotContain("Exception:");
  }

  @Test
  void healthWithoutTheCaCertificateSaysWhereToFindIt() {
    HmbRun r = hmb("health", "--ca", tmp.resolve("missing.crt").toString());
    assertThat(r.exit()).isEqualTo(2);
    plain(r);
    assertThat(r.err()).contains("--ca");
  }

  @Test
  void verboseShowsTheTrace() {
    HmbRun r = hmb("serve", "--verbose", "--port", "99999", "--metrics-port", "-1", "--data-dir", tmp.resolve("d").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("\tat ");
  }
}
