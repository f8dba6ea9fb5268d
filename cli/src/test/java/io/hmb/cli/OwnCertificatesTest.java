package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.Role;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Participant;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import io.hmb.testing.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bureau's own certificates, from a configuration file: the gateway serves a certificate its CA issued
 * for a name that is not loopback ({@code gateway.hmb.test}, dialled by address with that authority), to a
 * client that trusts only that CA, and admits a participant whose certificate another CA of the bureau
 * issued (the participants' CA bundle). A renewed certificate on disk is served without a restart. Files
 * that cannot serve are refused at start with one line and exit 2.
 */
class OwnCertificatesTest {
  private static final String NAME = "gateway.hmb.test";
  private static final String BUREAU = "BUREAU-210200";

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();

  /** The bureau's two CAs, the gateway's certificate, and a configuration file that names them. */
  private Path setUp(DevCertificateAuthority serverCa, DevCertificateAuthority participantCa, String extra)
      throws Exception {
    Path tls = Files.createDirectories(dir.resolve("etc"));
    serverCa.issueGatewayServer(List.of(NAME), Duration.ofDays(30)).writeTo(tls, "gateway");
    DevCertificateAuthority.Pem.write(tls.resolve("participants-ca.crt"),
        DevCertificateAuthority.Pem.encode(participantCa.certificate()));
    Path conf = dir.resolve("hmb.conf");
    Files.writeString(conf, String.join("\n",
        "# the bureau's certificates, not the development CA's",
        "port = 0", "metricsPort = -1", "dataDir = " + dir.resolve("data"),
        "tlsCertificate = " + tls.resolve("gateway.crt"),
        "tlsPrivateKey = " + tls.resolve("gateway.key"),
        "tlsParticipantCa = " + tls.resolve("participants-ca.crt"), extra, ""), StandardCharsets.UTF_8);
    return conf;
  }

  /** What {@code serve --config FILE} does with the file before it starts the gateway. */
  private static GatewayConfig fromFile(Path conf) {
    return ConfigSources.load(conf, Map.of(), Map.of(), List.of()).valid();
  }

  private static ManagedChannel channel(int port, io.grpc.ChannelCredentials credentials) {
    // The address is loopback; the name checked against the certificate is the authority's.
    return Grpc.newChannelBuilder("127.0.0.1:" + port, credentials).overrideAuthority(NAME).build();
  }

  @Test
  void servesTheBureausCertificateToClientsThatTrustOnlyItsCa() throws Exception {
    DevCertificateAuthority serverCa = DevCertificateAuthority.create("bureau server CA", clock);
    DevCertificateAuthority participantCa = DevCertificateAuthority.create("bureau participants CA", clock);
    Path conf = setUp(serverCa, participantCa, "");
    TlsIdentity bureau = participantCa.issueParticipant(BUREAU, Duration.ofDays(30));
    try (Gateway gateway = Gateway.start(fromFile(conf), clock)) {
      gateway.admin().addParticipant(new Participant(BUREAU, Role.ROLE_BUREAU, "210200", "Dalian bureau",
          Participant.Status.ACTIVE, Optional.empty()),
          PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3).publicKey());
      ManagedChannel anonymous = channel(gateway.port(),
          MutualTls.anonymousToGateway(TrustBundle.of(serverCa.certificate())));
      ManagedChannel participant = channel(gateway.port(),
          MutualTls.toGateway(bureau, TrustBundle.of(serverCa.certificate())));
      try {
        assertThat(HealthGrpc.newBlockingStub(anonymous).withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(DirectoryServiceGrpc.newBlockingStub(participant).withDeadlineAfter(10, TimeUnit.SECONDS)
            .getParticipant(GetParticipantRequest.newBuilder().setCode(BUREAU).build()).getDisplayName())
            .isEqualTo("Dalian bureau");
      } finally {
        anonymous.shutdownNow();
        participant.shutdownNow();
      }
      // The development CA no longer vouches for anyone: its participant certificate gets no TLS session.
      TlsIdentity devIssued = gateway.admin().issueTlsIdentity(BUREAU);
      ManagedChannel stranger = channel(gateway.port(),
          MutualTls.toGateway(devIssued, TrustBundle.of(serverCa.certificate())));
      try {
        assertThatThrownBy(() -> DirectoryServiceGrpc.newBlockingStub(stranger).withDeadlineAfter(10, TimeUnit.SECONDS)
            .getParticipant(GetParticipantRequest.newBuilder().setCode(BUREAU).build()))
            .isInstanceOf(StatusRuntimeException.class);
      } finally {
        stranger.shutdownNow();
      }
    }
  }

  @Test
  void aRenewedCertificateOnDiskIsServedWithoutARestart() throws Exception {
    DevCertificateAuthority serverCa = DevCertificateAuthority.create("bureau server CA", clock);
    Path conf = setUp(serverCa, DevCertificateAuthority.create("bureau participants CA", clock),
        "tlsReloadInterval = 200ms");
    try (Gateway gateway = Gateway.start(fromFile(conf), clock)) {
      BigInteger first = servedCertificate(gateway.port(), serverCa).getSerialNumber();

      // A renewal as a tool would write it: the new pair beside the old, then moved over it.
      Path etc = dir.resolve("etc");
      TlsIdentity renewed = serverCa.issueGatewayServer(List.of(NAME), Duration.ofDays(60));
      renewed.writeTo(etc, "renewed");
      Files.move(etc.resolve("renewed.key"), etc.resolve("gateway.key"), StandardCopyOption.REPLACE_EXISTING);
      Files.move(etc.resolve("renewed.crt"), etc.resolve("gateway.crt"), StandardCopyOption.REPLACE_EXISTING);
      BigInteger expected = renewed.certificate().getSerialNumber();
      assertThat(expected).isNotEqualTo(first);

      Await.until("the renewed certificate served", Duration.ofSeconds(30),
          () -> expected.equals(servedSerial(gateway.port(), serverCa)));
      ManagedChannel anonymous = channel(gateway.port(),
          MutualTls.anonymousToGateway(TrustBundle.of(serverCa.certificate())));
      try {
        assertThat(HealthGrpc.newBlockingStub(anonymous).withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
      } finally {
        anonymous.shutdownNow();
      }
    }
  }

  @Test
  void filesThatCannotServeAreRefusedAtStartWithOneLineAndExitTwo() throws Exception {
    DevCertificateAuthority serverCa = DevCertificateAuthority.create("bureau server CA", clock);
    Path conf = setUp(serverCa, DevCertificateAuthority.create("bureau participants CA", clock), "");
    Path etc = dir.resolve("etc");

    // Without the gateway's identity: a plain server certificate for the right name.
    serverCa.issueServer("gateway", List.of(NAME), List.of(), Duration.ofDays(30)).writeTo(etc, "gateway");
    assertThat(serve(conf)).startsWith("2|").contains("tlsCertificate " + etc.resolve("gateway.crt"))
        .contains("lacks the SAN URI urn:hmb:gateway");

    // The key of another certificate.
    serverCa.issueGatewayServer(List.of(NAME), Duration.ofDays(30)).writeTo(etc, "gateway");
    serverCa.issueGatewayServer(List.of(NAME), Duration.ofDays(30)).writeTo(etc, "other");
    Files.copy(etc.resolve("other.key"), etc.resolve("gateway.key"), StandardCopyOption.REPLACE_EXISTING);
    assertThat(serve(conf)).startsWith("2|").contains("tlsPrivateKey " + etc.resolve("gateway.key"))
        .contains("is not the key of the certificate");

    // Expired: issued by a CA whose clock is two years behind, for a year.
    DevCertificateAuthority past = DevCertificateAuthority.create("bureau server CA",
        Clock.offset(clock, Duration.ofDays(-730)));
    past.issueGatewayServer(List.of(NAME), Duration.ofDays(365)).writeTo(etc, "gateway");
    assertThat(serve(conf)).startsWith("2|").contains("expired at");

    // Missing.
    Files.delete(etc.resolve("gateway.crt"));
    assertThat(serve(conf)).startsWith("2|").contains("tlsCertificate " + etc.resolve("gateway.crt") + " does not exist");
    assertThat(Files.exists(dir.resolve("data").resolve("tls"))).as("nothing written before the check").isFalse();
  }

  /** {@code hmb serve --config FILE}: "exit|stderr", which must be one line and no trace. */
  private static String serve(Path conf) {
    StringWriter err = new StringWriter();
    int exit = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> Hmb.commandLine()
        .setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter(), true))
        .execute("serve", "--config", conf.toString()));
    String text = err.toString().strip();
    assertThat(text.lines().count()).as("one line: %s", text).isEqualTo(1);
    assertThat(text).doesNotContain("\tat ").doesNotContain("Exception");
    return exit + "|" + text;
  }

  private static BigInteger servedSerial(int port, DevCertificateAuthority ca) {
    try {
      return servedCertificate(port, ca).getSerialNumber();
    } catch (Exception e) {
      throw new AssertionError("a TLS handshake with the gateway failed: " + e, e);
    }
  }

  /** The leaf certificate a fresh TLS handshake with the gateway gets, trusting only {@code ca}. */
  private static X509Certificate servedCertificate(int port, DevCertificateAuthority ca) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(NAME)));
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }
}
