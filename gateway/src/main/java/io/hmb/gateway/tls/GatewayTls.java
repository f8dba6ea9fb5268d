package io.hmb.gateway.tls;

import io.hmb.security.tls.CertificateProfile;
import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's TLS material under {@code dataDir/tls}: on first start a development CA, the gateway's
 * server certificate ({@link CertificateProfile#GATEWAY_SERVER}: {@code urn:hmb:gateway} and the configured
 * names) and its client certificate ({@link CertificateProfile#GATEWAY_CLIENT}, what endpoints admit) are
 * generated there; later starts load them. Participants' certificates are issued by the same CA
 * ({@code ./hmb participants issue-cert}, with {@code --endpoint} for an endpoint's).
 *
 * <p><b>Old data directories.</b> A directory from before the profiles holds a server certificate without
 * the gateway identity and a client certificate naming {@code urn:hmb:participant:GATEWAY}. Where the CA key
 * is (the first node), a start re-issues both under the new profiles, keeping the server certificate's names,
 * and says so in the log. A node without the CA key refuses to start until it has new material
 * ({@link #copyClusterMaterial} from the first node again).
 *
 * <p><b>The operator's certificates.</b> Where the configuration names a server certificate, a client
 * certificate or a participants' CA bundle ({@code tlsCertificate}, {@code tlsClientCertificate},
 * {@code tlsParticipantCa}), the gateway uses those instead ({@link ServingCertificates}, which re-reads
 * whichever files apply while serving); the development CA is still made here, for {@code participants issue-cert}.
 */
public final class GatewayTls {
  private static final Logger log = LoggerFactory.getLogger(GatewayTls.class);
  public static final String SERVER_NAME = "gateway";
  /**
   * The participant code no one may hold: the old client certificate of the gateway named it
   * ({@code urn:hmb:participant:GATEWAY}), so {@code issue-cert} still refuses it. The gateway's identity is
   * now {@link io.hmb.security.tls.PeerIdentity#GATEWAY_URI}, which no participant certificate can carry.
   */
  public static final String CLIENT_PARTICIPANT_CODE = "GATEWAY";
  static final String CLIENT_NAME = "gateway-client";

  private final TrustBundle trustBundle;
  private final Path directory;

  private GatewayTls(TrustBundle trustBundle, Path directory) {
    this.trustBundle = trustBundle;
    this.directory = directory;
  }

  /** {@link #loadOrCreate(Path, List, Clock)} with no names configured. */
  public static GatewayTls loadOrCreate(Path dataDir, Clock clock) throws IOException, GeneralSecurityException {
    return loadOrCreate(dataDir, List.of(), clock);
  }

  /**
   * What a serving node needs: the CA's certificate (never its key), the gateway's server identity and
   * its client identity. On the first start of a development data directory, a CA is made and written to
   * {@code tls/} (ca.key owner-only), it issues the gateway's two identities, and is dropped again: serving
   * never holds the CA's key. {@link #certificateAuthority} loads it where an operator issues certificates.
   *
   * @param serverNames the names clients dial (DNS names or IP addresses); empty: localhost and 127.0.0.1
   *     for a new certificate, the existing certificate's otherwise. A name the existing certificate lacks
   *     has it re-issued where the CA key is.
   */
  public static GatewayTls loadOrCreate(Path dataDir, List<String> serverNames, Clock clock)
      throws IOException, GeneralSecurityException {
    Path dir = dataDir.resolve("tls");
    if (!Files.exists(dir.resolve("ca.crt"))) {
      DevCertificateAuthority ca = DevCertificateAuthority.create("hmb development CA", clock);
      ca.writeTo(dir);
      ca.issueGatewayServer(serverNames.isEmpty() ? DevCertificateAuthority.LOCAL_NAMES : serverNames,
          DevCertificateAuthority.DEFAULT_VALIDITY).writeTo(dir, SERVER_NAME);
      ca.issueGatewayClient(DevCertificateAuthority.DEFAULT_VALIDITY).writeTo(dir, CLIENT_NAME);
      log.info("generated a development CA and the gateway's TLS certificates in {}", dir.toAbsolutePath());
    }
    for (String name : List.of(SERVER_NAME, CLIENT_NAME)) {
      if (!Files.exists(dir.resolve(name + ".crt"))) {
        throw new IllegalStateException(dir.resolve(name + ".crt") + " is missing: a node needs ca.crt, "
            + SERVER_NAME + ".crt/.key and " + CLIENT_NAME + ".crt/.key (issue them where the CA is)");
      }
    }
    upgradeIfNeeded(dir, serverNames, clock);
    return new GatewayTls(TrustBundle.load(dir.resolve("ca.crt")), dir);
  }

  /** Re-issues the gateway's certificates that are not of their profile or lack a configured name. */
  private static void upgradeIfNeeded(Path dir, List<String> serverNames, Clock clock)
      throws IOException, GeneralSecurityException {
    X509Certificate server = TlsIdentity.load(dir, SERVER_NAME).certificate();
    X509Certificate client = TlsIdentity.load(dir, CLIENT_NAME).certificate();
    List<String> names = hostNames(server);
    boolean serverStale = CertificateProfile.of(server) != CertificateProfile.GATEWAY_SERVER
        || !names.containsAll(serverNames);
    boolean clientStale = CertificateProfile.of(client) != CertificateProfile.GATEWAY_CLIENT;
    if (!serverStale && !clientStale) {
      return;
    }
    if (!Files.exists(dir.resolve("ca.key"))) {
      throw new IllegalStateException(dir.toAbsolutePath() + ": the gateway's certificates"
          + (serverStale ? " (" + SERVER_NAME + ".crt" + (serverNames.isEmpty() ? "" : " for " + serverNames) + ")" : "")
          + (clientStale ? " (" + CLIENT_NAME + ".crt)" : "")
          + " are of the profile before urn:hmb:gateway and this node has no CA key to re-issue them; copy the "
          + "cluster material again from the node that has it (docs/security.md, Certificate profiles)");
    }
    DevCertificateAuthority ca = DevCertificateAuthority.load(dir, clock);
    if (serverStale) {
      List<String> keep = new ArrayList<>(names.isEmpty() ? DevCertificateAuthority.LOCAL_NAMES : names);
      serverNames.stream().filter(n -> !keep.contains(n)).forEach(keep::add);
      ca.issueGatewayServer(keep, DevCertificateAuthority.DEFAULT_VALIDITY).writeTo(dir, SERVER_NAME);
      log.info("re-issued the gateway's server certificate with urn:hmb:gateway and names={} in {}", keep,
          dir.toAbsolutePath());
    }
    if (clientStale) {
      ca.issueGatewayClient(DevCertificateAuthority.DEFAULT_VALIDITY).writeTo(dir, CLIENT_NAME);
      log.info("re-issued the gateway's client certificate with urn:hmb:gateway in {}", dir.toAbsolutePath());
    }
  }

  /** The DNS names and IP addresses of a certificate's SAN. */
  static List<String> hostNames(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return List.of();
      }
      return names.stream().filter(n -> (Integer) n.get(0) == 2 || (Integer) n.get(0) == 7)
          .map(n -> String.valueOf(n.get(1))).toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  /**
   * The CA of a data directory, for issuing certificates (operator commands, the demo). Only where its
   * key is: a cluster's other nodes have none.
   */
  public static DevCertificateAuthority certificateAuthority(Path tlsDirectory, Clock clock)
      throws IOException, GeneralSecurityException {
    if (!Files.exists(tlsDirectory.resolve("ca.key"))) {
      throw new IllegalStateException("no CA key in " + tlsDirectory.toAbsolutePath() + ": this node only trusts the "
          + "CA (ca.crt); issue certificates where the CA key is");
    }
    return DevCertificateAuthority.load(tlsDirectory, clock);
  }

  /**
   * Gives another node what it needs to serve in the same cluster: the CA's certificate and the gateway's
   * server identity (clients see one name), and a client identity of its own, issued here, where the CA key
   * is. The key itself never goes to the node.
   */
  public static void copyClusterMaterial(Path fromDataDir, Path toDataDir, Clock clock)
      throws IOException, GeneralSecurityException {
    Path from = fromDataDir.resolve("tls");
    Path to = toDataDir.resolve("tls");
    Files.createDirectories(to);
    for (String file : List.of("ca.crt", SERVER_NAME + ".crt", SERVER_NAME + ".key")) {
      // COPY_ATTRIBUTES: the key stays readable by its owner only.
      Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.COPY_ATTRIBUTES);
    }
    certificateAuthority(from, clock).issueGatewayClient(DevCertificateAuthority.DEFAULT_VALIDITY)
        .writeTo(to, CLIENT_NAME);
    // The nodes sign one audit log: the same log key (participants pin one public key).
    io.hmb.gateway.audit.AuditLogFiles.copyKey(fromDataDir, toDataDir);
  }

  public TrustBundle trustBundle() {
    return trustBundle;
  }

  /** Where ca.crt (what clients trust) and the issued certificates live. */
  public Path directory() {
    return directory;
  }
}
