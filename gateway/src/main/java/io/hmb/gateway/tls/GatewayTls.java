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

  private final DevCertificateAuthority authority;
  private final TlsIdentity serverIdentity;
  private final TlsIdentity clientIdentity;
  private final Path directory;

  private GatewayTls(DevCertificateAuthority authority, TlsIdentity serverIdentity, TlsIdentity clientIdentity,
      Path directory) {
    this.authority = authority;
    this.serverIdentity = serverIdentity;
    this.clientIdentity = clientIdentity;
    this.directory = directory;
  }

  public static GatewayTls loadOrCreate(Path dataDir, Clock clock) throws IOException, GeneralSecurityException {
    Path dir = dataDir.resolve("tls");
    boolean fresh = !Files.exists(dir.resolve("ca.crt"));
    DevCertificateAuthority ca = DevCertificateAuthority.loadOrCreate(dir, "hmb development CA", clock);
    TlsIdentity server;
    if (Files.exists(dir.resolve(SERVER_NAME + ".crt"))) {
      server = TlsIdentity.load(dir, SERVER_NAME);
    } else {
      server = ca.issueServer(SERVER_NAME, List.of("localhost"), List.of("127.0.0.1"),
          DevCertificateAuthority.DEFAULT_VALIDITY);
      server.writeTo(dir, SERVER_NAME);
    }
    TlsIdentity client;
    if (Files.exists(dir.resolve(CLIENT_NAME + ".crt"))) {
      client = TlsIdentity.load(dir, CLIENT_NAME);
    } else {
      client = ca.issueParticipant(CLIENT_PARTICIPANT_CODE, DevCertificateAuthority.DEFAULT_VALIDITY);
      client.writeTo(dir, CLIENT_NAME);
    }
    if (fresh) {
      log.info("generated a development CA and the gateway's TLS certificate in {}", dir.toAbsolutePath());
    }
    return new GatewayTls(ca, server, client, dir);
  }

  /** Copies the CA and server certificate to another node: every node of a cluster needs the same ones. */
  public static void copyClusterMaterial(Path fromDataDir, Path toDataDir) throws IOException {
    Path from = fromDataDir.resolve("tls");
    Path to = toDataDir.resolve("tls");
    Files.createDirectories(to);
    for (String file : List.of("ca.crt", "ca.key", SERVER_NAME + ".crt", SERVER_NAME + ".key")) {
      // COPY_ATTRIBUTES: the keys stay readable by their owner only.
      Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.COPY_ATTRIBUTES);
    }
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
    return TrustBundle.of(authority.certificate());
  }

  public DevCertificateAuthority authority() {
    return authority;
  }

  /** Where ca.crt (what clients trust) and the issued certificates live. */
  public Path directory() {
    return directory;
  }
}
