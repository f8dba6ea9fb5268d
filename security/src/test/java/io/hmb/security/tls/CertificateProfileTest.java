package io.hmb.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/**
 * Security II, finding 2: every certificate the CA issued carried localhost, 127.0.0.1 and both EKUs, so a
 * hospital's certificate could serve as the gateway or as an insurer's endpoint. Each profile now carries
 * only what its side needs, and the identity check refuses every other certificate of the same CA.
 */
class CertificateProfileTest {
  static final Duration DAY = Duration.ofDays(1);
  final DevCertificateAuthority ca = DevCertificateAuthority.create("test CA", Clock.systemUTC());
  final TrustBundle trust = TrustBundle.of(ca.certificate());

  CertificateProfileTest() throws Exception {}

  @Test
  void eachProfileCarriesOnlyItsOwnNamesAndKeyUsage() throws Exception {
    X509Certificate hospital = ca.issueParticipant("HOSPITAL-620600-01", DAY).certificate();
    assertThat(CertificateProfile.of(hospital)).isEqualTo(CertificateProfile.PARTICIPANT_CLIENT);
    assertThat(hospital.getExtendedKeyUsage()).containsExactly(CertificateProfile.CLIENT_AUTH);
    assertThat(sanTypes(hospital)).containsExactly(6); // the URI only: no DNS, no IP

    X509Certificate endpoint = ca.issueEndpoint("INSURER-LEAD-210200", List.of("insurer.example", "10.0.0.7"), DAY)
        .certificate();
    assertThat(CertificateProfile.of(endpoint)).isEqualTo(CertificateProfile.ENDPOINT_SERVER);
    assertThat(endpoint.getExtendedKeyUsage()).containsExactly(CertificateProfile.SERVER_AUTH);
    assertThat(PeerIdentity.participantCode(endpoint)).contains("INSURER-LEAD-210200");
    assertThat(sanValues(endpoint))
        .contains("insurer.example", "10.0.0.7");

    X509Certificate gatewayServer = ca.issueGatewayServer(List.of("hmb.example.cn"), DAY).certificate();
    assertThat(CertificateProfile.of(gatewayServer)).isEqualTo(CertificateProfile.GATEWAY_SERVER);
    assertThat(sanValues(gatewayServer))
        .containsExactlyInAnyOrder(PeerIdentity.GATEWAY_URI, "hmb.example.cn");

    X509Certificate gatewayClient = ca.issueGatewayClient(DAY).certificate();
    assertThat(CertificateProfile.of(gatewayClient)).isEqualTo(CertificateProfile.GATEWAY_CLIENT);
    assertThat(PeerIdentity.participantCode(gatewayClient)).isEmpty();
    assertThat(sanTypes(gatewayClient)).containsExactly(6);

    assertThat(CertificateProfile.of(ca.issueLegacyParticipant("BUREAU-210200", DAY).certificate()))
        .isEqualTo(CertificateProfile.LEGACY_PARTICIPANT);
  }

  @Test
  void aClientToTheGatewayAdmitsOnlyTheGatewaysServerCertificate() throws Exception {
    X509ExtendedTrustManager toGateway = only(IdentityTrustManager.forServer(trust, ExpectedPeer.gateway()));

    assertThatCode(() -> toGateway.checkServerTrusted(chain(ca.issueGatewayServer(DevCertificateAuthority.LOCAL_NAMES,
        DAY)), "ECDHE_ECDSA")).doesNotThrowAnyException();
    // A hospital's certificate of the old profile had serverAuth and localhost: it answered `hmb health`.
    assertThatThrownBy(() -> toGateway.checkServerTrusted(chain(ca.issueLegacyParticipant("HOSPITAL-620600-01", DAY)),
        "ECDHE_ECDSA")).isInstanceOf(CertificateException.class).hasMessageContaining("is not the gateway");
    assertThatThrownBy(() -> toGateway.checkServerTrusted(chain(ca.issueGatewayClient(DAY)), "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class).hasMessageContaining("TLS server authentication");
    assertThatThrownBy(() -> toGateway.checkClientTrusted(chain(ca.issueGatewayServer(DevCertificateAuthority.LOCAL_NAMES,
        DAY)), "ECDHE_ECDSA")).isInstanceOf(CertificateException.class);
  }

  @Test
  void theGatewayReachesAnEndpointOnlyIfItPresentsItsRecipientsIdentity() throws Exception {
    X509ExtendedTrustManager toInsurer = only(IdentityTrustManager.forServer(trust,
        ExpectedPeer.participant("INSURER-CO-210200")));

    assertThatCode(() -> toInsurer.checkServerTrusted(chain(ca.issueEndpoint("INSURER-CO-210200",
        DevCertificateAuthority.LOCAL_NAMES, DAY)), "ECDHE_ECDSA")).doesNotThrowAnyException();
    // An old data directory's participant certificate still serves its own participant's endpoint.
    assertThatCode(() -> toInsurer.checkServerTrusted(chain(ca.issueLegacyParticipant("INSURER-CO-210200", DAY)),
        "ECDHE_ECDSA")).doesNotThrowAnyException();
    // The finding: a hospital's certificate where the co-insurer's endpoint should be.
    assertThatThrownBy(() -> toInsurer.checkServerTrusted(chain(ca.issueLegacyParticipant("HOSPITAL-210200-01", DAY)),
        "ECDHE_ECDSA")).hasMessageContaining("is not participant INSURER-CO-210200");
    assertThatThrownBy(() -> toInsurer.checkServerTrusted(chain(ca.issueEndpoint("HOSPITAL-210200-01",
        DevCertificateAuthority.LOCAL_NAMES, DAY)), "ECDHE_ECDSA")).hasMessageContaining("names participant HOSPITAL");
    assertThatThrownBy(() -> toInsurer.checkServerTrusted(chain(ca.issueParticipant("INSURER-CO-210200", DAY)),
        "ECDHE_ECDSA")).hasMessageContaining("TLS server authentication");
  }

  @Test
  void anEndpointAdmitsOnlyTheGatewaysClientCertificate() throws Exception {
    X509ExtendedTrustManager endpoint = only(IdentityTrustManager.forClients(trust, ExpectedPeer.gateway()));

    assertThatCode(() -> endpoint.checkClientTrusted(chain(ca.issueGatewayClient(DAY)), "ECDHE_ECDSA"))
        .doesNotThrowAnyException();
    // The finding: a Wuwei hospital's certificate called the Dalian lead insurer's endpoint directly.
    assertThatThrownBy(() -> endpoint.checkClientTrusted(chain(ca.issueParticipant("HOSPITAL-620600-01", DAY)),
        "ECDHE_ECDSA")).hasMessageContaining("is not the gateway");
    assertThatThrownBy(() -> endpoint.checkClientTrusted(chain(ca.issueLegacyParticipant("HOSPITAL-620600-01", DAY)),
        "ECDHE_ECDSA")).hasMessageContaining("is not the gateway");
    assertThatThrownBy(() -> endpoint.checkClientTrusted(chain(ca.issueGatewayServer(DevCertificateAuthority.LOCAL_NAMES,
        DAY)), "ECDHE_ECDSA")).hasMessageContaining("TLS client authentication");
  }

  @Test
  void aCertificateOfAnotherCaIsRefusedBeforeItsNamesAreRead() throws Exception {
    DevCertificateAuthority other = DevCertificateAuthority.create("other CA", Clock.systemUTC());
    X509ExtendedTrustManager endpoint = only(IdentityTrustManager.forClients(trust, ExpectedPeer.gateway()));
    assertThatThrownBy(() -> endpoint.checkClientTrusted(chain(other.issueGatewayClient(DAY)), "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class).hasMessageNotContaining("is not the gateway");
  }

  static X509Certificate[] chain(TlsIdentity identity) {
    return identity.chain().toArray(X509Certificate[]::new);
  }

  static X509ExtendedTrustManager only(javax.net.ssl.TrustManager[] managers) {
    assertThat(managers).hasSize(1);
    return (X509ExtendedTrustManager) managers[0];
  }

  static List<String> sanValues(X509Certificate c) throws Exception {
    return c.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
  }

  static List<Integer> sanTypes(X509Certificate c) throws Exception {
    Collection<List<?>> names = c.getSubjectAlternativeNames();
    return names.stream().map(n -> (Integer) n.get(0)).toList();
  }
}
