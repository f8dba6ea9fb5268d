package io.hmb.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.security.tls.CertificateProfile;
import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.TlsIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's own certificates: their profiles, the configured names, and data directories from before. */
class GatewayCertificateProfilesTest {
  @TempDir Path dataDir;
  final Clock clock = Clock.systemUTC();

  @Test
  void aNewDataDirectoryGetsTheGatewayIdentityWithTheConfiguredNames() throws Exception {
    GatewayTls.loadOrCreate(dataDir, List.of("hmb.dalian.example", "10.1.2.3"), clock);

    TlsIdentity server = TlsIdentity.load(dataDir.resolve("tls"), GatewayTls.SERVER_NAME);
    assertThat(CertificateProfile.of(server.certificate())).isEqualTo(CertificateProfile.GATEWAY_SERVER);
    assertThat(GatewayTls.hostNames(server.certificate())).containsExactly("hmb.dalian.example", "10.1.2.3");
    assertThat(CertificateProfile.of(TlsIdentity.load(dataDir.resolve("tls"), "gateway-client").certificate()))
        .isEqualTo(CertificateProfile.GATEWAY_CLIENT);
  }

  @Test
  void theDevelopmentDefaultIsLocalhost() throws Exception {
    GatewayTls.loadOrCreate(dataDir, clock);
    assertThat(GatewayTls.hostNames(TlsIdentity.load(dataDir.resolve("tls"), GatewayTls.SERVER_NAME).certificate()))
        .containsExactly("localhost", "127.0.0.1");
  }

  /** What GatewayTls wrote before the profiles: a server certificate without the gateway identity, GATEWAY as a participant. */
  Path oldDataDirectory(Path dir) throws Exception {
    Path tls = dir.resolve("tls");
    DevCertificateAuthority ca = DevCertificateAuthority.create("hmb development CA", clock);
    ca.writeTo(tls);
    ca.issueServer(GatewayTls.SERVER_NAME, List.of("localhost"), List.of("127.0.0.1"),
        DevCertificateAuthority.DEFAULT_VALIDITY).writeTo(tls, GatewayTls.SERVER_NAME);
    ca.issueLegacyParticipant(GatewayTls.CLIENT_PARTICIPANT_CODE, DevCertificateAuthority.DEFAULT_VALIDITY)
        .writeTo(tls, "gateway-client");
    return dir;
  }

  @Test
  void theFirstNodeOfAnOldDataDirectoryReissuesBothUnderTheirProfilesKeepingTheNames() throws Exception {
    oldDataDirectory(dataDir);
    GatewayTls.loadOrCreate(dataDir, clock);

    TlsIdentity server = TlsIdentity.load(dataDir.resolve("tls"), GatewayTls.SERVER_NAME);
    assertThat(CertificateProfile.of(server.certificate())).isEqualTo(CertificateProfile.GATEWAY_SERVER);
    assertThat(GatewayTls.hostNames(server.certificate())).containsExactly("localhost", "127.0.0.1");
    assertThat(CertificateProfile.of(TlsIdentity.load(dataDir.resolve("tls"), "gateway-client").certificate()))
        .isEqualTo(CertificateProfile.GATEWAY_CLIENT);
    // The same CA: every participant certificate issued before still verifies.
    assertThat(Files.exists(dataDir.resolve("tls/ca.key"))).isTrue();
  }

  @Test
  void aNodeWithoutTheCaKeyRefusesOldMaterialAndSaysWhatToDo(@TempDir Path nodeB) throws Exception {
    oldDataDirectory(dataDir);
    GatewayTls.copyClusterMaterial(dataDir, nodeB, clock); // a new client identity, the old server certificate
    oldDataDirectory(nodeB);
    Files.delete(nodeB.resolve("tls/ca.key"));

    assertThatThrownBy(() -> GatewayTls.loadOrCreate(nodeB, clock)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no CA key to re-issue them").hasMessageContaining("copy the cluster material again");

    GatewayTls.loadOrCreate(dataDir, clock); // the first node upgrades itself...
    GatewayTls.copyClusterMaterial(dataDir, nodeB, clock); // ...and hands the new material on
    assertThat(GatewayTls.loadOrCreate(nodeB, clock).trustBundle()).isNotNull();
  }
}
