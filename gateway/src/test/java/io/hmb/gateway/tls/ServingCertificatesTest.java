package io.hmb.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.gateway.config.GatewayConfig;
import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.TlsIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload installs only what passes the start-up checks: a renewal whose key is not written yet, a
 * certificate without the gateway's identity and a garbled CA bundle are each kept out, the previous
 * material served, and the next good files are taken. The reload is called directly: no timing.
 */
class ServingCertificatesTest {
  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();

  @Test
  void aReloadInstallsOnlyFilesThatPassTheStartUpChecks() throws Exception {
    DevCertificateAuthority ca = DevCertificateAuthority.create("bureau CA", clock);
    DevCertificateAuthority participants = DevCertificateAuthority.create("participants CA", clock);
    TlsIdentity first = ca.issueGatewayServer(List.of("gateway.hmb.test"), Duration.ofDays(30));
    first.writeTo(dir, "gateway");
    DevCertificateAuthority.Pem.write(dir.resolve("participants.crt"),
        DevCertificateAuthority.Pem.encode(participants.certificate()));
    ca.issueGatewayClient(Duration.ofDays(30)).writeTo(dir, "client");
    GatewayConfig config = new GatewayConfig().dataDir(dir.resolve("data")).tlsCertificate(dir.resolve("gateway.crt"))
        .tlsPrivateKey(dir.resolve("gateway.key")).tlsClientCertificate(dir.resolve("client.crt"))
        .tlsClientPrivateKey(dir.resolve("client.key")).tlsParticipantCa(dir.resolve("participants.crt"));
    try (ServingCertificates serving = ServingCertificates.open(TlsFiles.of(config), Duration.ofHours(1), clock)) {
      assertThat(serving.servedCertificate()).isEqualTo(first.certificate());

      // The new certificate is written, its key not yet.
      TlsIdentity second = ca.issueGatewayServer(List.of("gateway.hmb.test"), Duration.ofDays(60));
      second.writeTo(dir, "second");
      Files.copy(dir.resolve("second.crt"), dir.resolve("gateway.crt"), StandardCopyOption.REPLACE_EXISTING);
      serving.reloadQuietly();
      assertThat(serving.servedCertificate()).as("a certificate without its key").isEqualTo(first.certificate());

      // A certificate participants would refuse.
      ca.issueServer("gateway", List.of("gateway.hmb.test"), List.of(), Duration.ofDays(30)).writeTo(dir, "gateway");
      serving.reloadQuietly();
      assertThat(serving.servedCertificate()).as("no urn:hmb:gateway").isEqualTo(first.certificate());

      Files.copy(dir.resolve("second.crt"), dir.resolve("gateway.crt"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(dir.resolve("second.key"), dir.resolve("gateway.key"), StandardCopyOption.REPLACE_EXISTING);
      serving.reloadQuietly();
      assertThat(serving.servedCertificate()).isEqualTo(second.certificate());

      Files.writeString(dir.resolve("participants.crt"), "-----BEGIN CERTIFICATE-----\ngarbled", StandardCharsets.US_ASCII);
      serving.reloadQuietly();
      assertThat(serving.trustedAuthorities()).containsExactly(participants.certificate());
      DevCertificateAuthority next = DevCertificateAuthority.create("participants CA 2", clock);
      DevCertificateAuthority.Pem.write(dir.resolve("participants.crt"), DevCertificateAuthority.Pem.encode(
          participants.certificate()) + DevCertificateAuthority.Pem.encode(next.certificate()));
      serving.reloadQuietly();
      assertThat(serving.trustedAuthorities()).containsExactlyInAnyOrder(participants.certificate(), next.certificate());
    }
  }
}
