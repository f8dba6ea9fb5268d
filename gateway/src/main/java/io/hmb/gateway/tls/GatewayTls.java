package io.hmb.gateway.tls;

import io.grpc.ServerCredentials;
import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's TLS material under {@code dataDir/tls}: on first start a development CA and the
 * gateway's server certificate are generated there; later starts load them. Participants' client
 * certificates are issued by the same CA ({@code ./hmb participants issue-cert}).
 */
public final class GatewayTls {
  private static final Logger log = LoggerFactory.getLogger(GatewayTls.class);
  public static final String SERVER_NAME = "gateway";
  /** The identity the gateway presents when it calls participants' endpoints. */
  public static final String CLIENT_PARTICIPANT_CODE = "GATEWAY";
  private static final String CLIENT_NAME = "gateway-client";

  private final TrustBundle trustBundle;
  private final TlsIdentity serverIdentity;
  private final TlsIdentity clientIdentity;
  private final Path directory;

  private GatewayTls(TrustBundle trustBundle, TlsIdentity serverIdentity, TlsIdentity clientIdentity, Path directory) {
    this.trustBundle = trustBundle;
    this.serverIdentity = serverIdentity;
    this.clientIdentity = clientIdentity;
    this.directory = directory;
  }

  /**
   * What a serving node needs: the CA's certificate (never its key), the gateway's server identity and
   * its client identity. On the first start of a development data directory, a CA is made and written to
   * {@code tls/} (ca.key owner-only), it issues the gateway's two identities, and is dropped again: serving
   * never holds the CA's key. {@link #certificateAuthority} loads it where an operator issues certificates.
   */
  public static GatewayTls loadOrCreate(Path dataDir, Clock clock) throws IOException, GeneralSecurityException {
    Path dir = dataDir.resolve("tls");
    if (!Files.exists(dir.resolve("ca.crt"))) {
      DevCertificateAuthority ca = DevCertificateAuthority.create("hmb development CA", clock);
      ca.writeTo(dir);
      ca.issueServer(SERVER_NAME, List.of("localhost"), List.of("127.0.0.1"), DevCertificateAuthority.DEFAULT_VALIDITY)
          .writeTo(dir, SERVER_NAME);
      ca.issueParticipant(CLIENT_PARTICIPANT_CODE, DevCertificateAuthority.DEFAULT_VALIDITY).writeTo(dir, CLIENT_NAME);
      log.info("generated a development CA and the gateway's TLS certificate in {}", dir.toAbsolutePath());
    }
    for (String name : List.of(SERVER_NAME, CLIENT_NAME)) {
      if (!Files.exists(dir.resolve(name + ".crt"))) {
        throw new IllegalStateException(dir.resolve(name + ".crt") + " is missing: a node needs ca.crt, "
            + SERVER_NAME + ".crt/.key and " + CLIENT_NAME + ".crt/.key (issue them where the CA is)");
      }
    }
    return new GatewayTls(TrustBundle.load(dir.resolve("ca.crt")), TlsIdentity.load(dir, SERVER_NAME),
        TlsIdentity.load(dir, CLIENT_NAME), dir);
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
   * server identity (clients see one name), and a client identity of its own (as GATEWAY, so recipients
   * can tell the nodes apart), issued here, where the CA key is. The key itself never goes to the node.
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
    certificateAuthority(from, clock).issueParticipant(CLIENT_PARTICIPANT_CODE, DevCertificateAuthority.DEFAULT_VALIDITY)
        .writeTo(to, CLIENT_NAME);
    // The nodes sign one audit log: the same log key (participants pin one public key).
    io.hmb.gateway.audit.AuditLogFiles.copyKey(fromDataDir, toDataDir);
  }

  /**
   * TLS 1.2+/1.3 server credentials. Client certificates are verified when presented; the gateway
   * requires one on every hmb.v1 call (see PeerAuthentication) but not for health checks.
   */
  public ServerCredentials serverCredentials() throws GeneralSecurityException {
    return MutualTls.serverWithOptionalClientAuth(serverIdentity, trustBundle());
  }

  /** Credentials for the gateway's own calls to participants' endpoints (mTLS as GATEWAY). */
  public io.grpc.ChannelCredentials clientCredentials() throws GeneralSecurityException {
    return MutualTls.client(clientIdentity, trustBundle());
  }

  public TrustBundle trustBundle() {
    return trustBundle;
  }

  /** Where ca.crt (what clients trust) and the issued certificates live. */
  public Path directory() {
    return directory;
  }
}
