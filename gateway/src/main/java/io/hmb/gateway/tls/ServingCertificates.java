package io.hmb.gateway.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.hmb.gateway.NamedThreads;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.tls.GatewayCertificateCheck.Side;
import io.hmb.security.tls.MutualTls;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates a serving gateway presents and trusts, re-read from disk while it runs: its server
 * certificate, its client certificate (which it presents to participants' endpoints), and the participants'
 * CA bundle (which admits callers' client certificates and checks endpoints' server certificates). They are
 * the operator's files ({@link TlsFiles#of}) or the development CA's in {@code dataDir/tls}, the zero-setup
 * default.
 *
 * <p>grpc-java's {@link AdvancedTlsX509KeyManager} and {@link AdvancedTlsX509TrustManager} hold the
 * material, so each new TLS handshake uses what was last loaded and connections already open keep theirs.
 * The files are read here rather than by their own file watchers, so that a renewed certificate passes
 * the same checks as at start-up ({@link GatewayCertificateCheck}: the key matches, it is valid now, it
 * carries {@code urn:hmb:gateway}) before it is used. A file that fails them (half-written, the key of
 * another certificate) is logged once and the previous material kept; the next look tries again.
 */
public final class ServingCertificates implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServingCertificates.class);

  private final TlsFiles files;
  private final Clock clock;
  private final AdvancedTlsX509KeyManager serverIdentity = new AdvancedTlsX509KeyManager();
  private final AdvancedTlsX509KeyManager clientIdentity = new AdvancedTlsX509KeyManager();
  /** Callers' client certificates: the CA chain only; who the caller is, is checked per call (PeerAuthentication). */
  private final AdvancedTlsX509TrustManager clients;
  /** Endpoints' server certificates: the CA chain and the host name, then the identity (MutualTls#toEndpoint). */
  private final AdvancedTlsX509TrustManager endpoints;
  private final Part server = new Part();
  private final Part client = new Part();
  private final Part trust = new Part();
  private final ScheduledExecutorService reloader;

  /** What of one part was installed, and what was last refused (logged once, not at every look), by content. */
  private static final class Part {
    byte[] installed;
    byte[] refused;
  }

  /** Checks one part's new content and installs it; returns what to log. */
  @FunctionalInterface
  private interface Install {
    String install() throws GeneralSecurityException, IOException;
  }

  private ServingCertificates(TlsFiles files, Clock clock) throws GeneralSecurityException {
    this.files = files;
    this.clock = clock;
    this.clients = AdvancedTlsX509TrustManager.newBuilder()
        .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION).build();
    this.endpoints = AdvancedTlsX509TrustManager.newBuilder()
        .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION).build();
    this.reloader = Executors.newSingleThreadScheduledExecutor(new NamedThreads("hmb-tls-reload"));
  }

  /**
   * Loads and checks {@code files}, then looks at them again every {@code reloadInterval}.
   *
   * @throws IllegalArgumentException one line saying which file is wrong and how (an operator's mistake:
   *     exit 2 from {@code serve})
   */
  public static ServingCertificates open(TlsFiles files, Duration reloadInterval, Clock clock)
      throws GeneralSecurityException, IOException {
    ServingCertificates certificates = new ServingCertificates(files, clock);
    try {
      certificates.load(true);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      certificates.close();
      throw e;
    }
    long ms = reloadInterval.toMillis();
    certificates.reloader.scheduleWithFixedDelay(certificates::reloadQuietly, ms, ms, TimeUnit.MILLISECONDS);
    log.info("TLS: serving {} from {}, trusting participants' certificates of {}, presenting {} to endpoints; "
        + "re-read every {}", GatewayCertificateCheck.describe(certificates.servedCertificate()),
        files.certificate().label(), files.participantCa().label(), files.clientCertificate().label(), reloadInterval);
    return certificates;
  }

  /**
   * The operator's files, checked before anything starts (the database, the development CA): a missing or
   * wrong certificate is reported at once, with nothing written. Nothing to check without them.
   */
  public static void checkOperatorFiles(GatewayConfig config, Clock clock) {
    TlsFiles files = TlsFiles.of(config);
    if (config.tlsCertificate() != null) {
      GatewayCertificateCheck.identity(Side.SERVER, files.certificate(), files.privateKey(),
          files.certificate().read(), files.privateKey().read(), clock.instant());
    }
    if (config.tlsClientCertificate() != null) {
      GatewayCertificateCheck.identity(Side.CLIENT, files.clientCertificate(), files.clientPrivateKey(),
          files.clientCertificate().read(), files.clientPrivateKey().read(), clock.instant());
    }
    if (config.tlsParticipantCa() != null) {
      GatewayCertificateCheck.participantCas(files.participantCa(), files.participantCa().read(), clock.instant());
    }
  }

  /** Reads the files; installs what changed and passes the checks. At start, a refusal is thrown. */
  private synchronized void load(boolean atStart) throws GeneralSecurityException, IOException {
    TlsFiles.Contents c = files.read();
    update(server, atStart, "server certificate", digest(c.certificate(), c.privateKey()), () -> {
      GatewayCertificateCheck.Identity checked = GatewayCertificateCheck.identity(Side.SERVER, files.certificate(),
          files.privateKey(), c.certificate(), c.privateKey(), clock.instant());
      serverIdentity.updateIdentityCredentials(checked.chain(), checked.key());
      return "serving a new TLS certificate from " + files.certificate().label() + ": "
          + GatewayCertificateCheck.describe(checked.chain()[0]);
    });
    update(client, atStart, "client certificate", digest(c.clientCertificate(), c.clientPrivateKey()), () -> {
      GatewayCertificateCheck.Identity checked = GatewayCertificateCheck.identity(Side.CLIENT,
          files.clientCertificate(), files.clientPrivateKey(), c.clientCertificate(), c.clientPrivateKey(),
          clock.instant());
      clientIdentity.updateIdentityCredentials(checked.chain(), checked.key());
      return "presenting a new TLS client certificate to endpoints from " + files.clientCertificate().label() + ": "
          + GatewayCertificateCheck.describe(checked.chain()[0]);
    });
    update(trust, atStart, "participants' CA bundle", digest(c.participantCa()), () -> {
      X509Certificate[] authorities = GatewayCertificateCheck.participantCas(files.participantCa(),
          c.participantCa(), clock.instant());
      clients.updateTrustCredentials(authorities);
      endpoints.updateTrustCredentials(authorities);
      return "trusting a new participants' CA bundle from " + files.participantCa().label() + " ("
          + authorities.length + " certificates)";
    });
  }

  private static void update(Part part, boolean atStart, String what, byte[] digest, Install install)
      throws GeneralSecurityException, IOException {
    if (Arrays.equals(digest, part.installed) || Arrays.equals(digest, part.refused)) {
      return;
    }
    try {
      String done = install.install();
      part.installed = digest;
      if (!atStart) {
        log.info(done);
      }
    } catch (IllegalArgumentException refused) {
      if (atStart) {
        throw refused;
      }
      part.refused = digest;
      log.warn("not using the changed {}: {}; the previous one stays in use", what, refused.getMessage());
    }
  }

  /** The certificate new handshakes get now (for tests: what a reload installed or kept). */
  X509Certificate servedCertificate() {
    return serverIdentity.getCertificateChain(serverIdentity.chooseEngineServerAlias("EC", null, null))[0];
  }

  /** The participants' CAs trusted now (for tests). */
  X509Certificate[] trustedAuthorities() {
    return clients.getAcceptedIssuers();
  }

  void reloadQuietly() {
    try {
      load(false);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      log.warn("could not look at the TLS files error={}; the previous material stays in use", e.getMessage());
    }
  }

  private static byte[] digest(byte[]... parts) throws GeneralSecurityException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (byte[] part : parts) {
      sha.update(part);
      sha.update((byte) 0);
    }
    return sha.digest();
  }

  /**
   * The gateway's server credentials: this certificate, and a client certificate, when presented, must
   * chain to the participants' CA; the gateway requires one on every hmb.v1 call (PeerAuthentication) but
   * not for health checks.
   */
  public ServerCredentials serverCredentials() {
    return MutualTls.serverWithOptionalClientAuth(serverIdentity, clients);
  }

  /**
   * mTLS to {@code participantCode}'s endpoint with the gateway's client certificate; the endpoint must
   * chain to the participants' CA and be that participant's.
   */
  public ChannelCredentials toEndpoint(String participantCode) {
    return MutualTls.toEndpoint(clientIdentity, endpoints, participantCode);
  }

  /** Where the certificates come from, for the start-up log line. */
  public TlsFiles files() {
    return files;
  }

  @Override
  public void close() {
    reloader.shutdownNow();
  }
}
