package io.hmb.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCertificateAuthorityTest {
  @TempDir Path dir;

  @Test
  void caWrittenToDiskLoadsBackAndKeepsIssuing() throws Exception {
    DevCertificateAuthority first = DevCertificateAuthority.loadOrCreate(dir, "test CA", Clock.systemUTC());
    DevCertificateAuthority again = DevCertificateAuthority.loadOrCreate(dir, "test CA", Clock.systemUTC());
    assertThat(again.certificate()).isEqualTo(first.certificate());
    assertThat(Files.readString(dir.resolve("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");

    TlsIdentity issued = again.issueParticipant("BUREAU-210200", Duration.ofDays(1));
    issued.certificate().verify(first.certificate().getPublicKey());
    issued.writeTo(dir, "bureau");
    TlsIdentity loaded = TlsIdentity.load(dir, "bureau");
    assertThat(loaded.certificate()).isEqualTo(issued.certificate());
    assertThat(loaded.keyManagerFactory().getKeyManagers()).isNotEmpty();
  }

  @Test
  void participantCodeIsReadFromTheSanUri() throws Exception {
    DevCertificateAuthority ca = DevCertificateAuthority.create("test CA", Clock.systemUTC());
    TlsIdentity hospital = ca.issueParticipant("HOSPITAL-620600-01", Duration.ofDays(1));
    assertThat(PeerIdentity.participantCode(hospital.certificate())).contains("HOSPITAL-620600-01");
    TlsIdentity server = ca.issueGatewayServer(DevCertificateAuthority.LOCAL_NAMES, Duration.ofDays(1));
    assertThat(PeerIdentity.participantCode(server.certificate())).isEmpty();
    assertThat(PeerIdentity.isGateway(server.certificate())).isTrue();
    assertThat(PeerIdentity.isGateway(hospital.certificate())).isFalse();
  }
}
