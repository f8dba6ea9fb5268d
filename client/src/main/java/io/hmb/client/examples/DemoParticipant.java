package io.hmb.client.examples;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.hmb.security.InsecureSecretAccess;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;

/**
 * A participant's material as {@code ./hmb serve --demo} writes it: {@code DEMO_DIR/CODE/signing.key}
 * (the SM2 envelope key, PKCS#8 PEM), {@code DEMO_DIR/CODE/tls.crt} and {@code tls.key} (the mTLS
 * certificate) and {@code DEMO_DIR/ca.crt} (the gateway's CA). In production the signing key comes from
 * your key store, not a file next to the program.
 */
record DemoParticipant(String code, PrivateKeyHandle signingKey, TlsIdentity tls, TlsIdentity endpointTls,
    TrustBundle gatewayCa) {

  static DemoParticipant load(Path demoDir, String code) throws IOException, GeneralSecurityException {
    Path dir = demoDir.resolve(code);
    String pem = Files.readString(dir.resolve("signing.key"), StandardCharsets.US_ASCII);
    TlsIdentity tls = TlsIdentity.load(dir, "tls");
    // endpoint.crt: the certificate the gateway requires of this participant's endpoint (older demo dirs: tls.crt).
    TlsIdentity endpoint = Files.exists(dir.resolve("endpoint.crt")) ? TlsIdentity.load(dir, "endpoint") : tls;
    return new DemoParticipant(code, PrivateKeyHandle.fromPem(pem, InsecureSecretAccess.get()), tls, endpoint,
        TrustBundle.load(demoDir.resolve("ca.crt")));
  }

  /**
   * A channel to the gateway presenting this participant's certificate; it reaches only a server with the
   * gateway's identity (urn:hmb:gateway), not just any certificate of the CA. You own it: shut it down.
   */
  ManagedChannel channelTo(String gateway) throws GeneralSecurityException {
    ChannelCredentials credentials = MutualTls.toGateway(tls, gatewayCa);
    return Grpc.newChannelBuilder(gateway, credentials).build();
  }

  /** Server credentials for an endpoint the gateway calls: the endpoint certificate; only the gateway gets in. */
  ServerCredentials serverCredentials() throws GeneralSecurityException {
    return MutualTls.endpointServer(endpointTls, gatewayCa);
  }

  /** Shuts a channel down, waiting a bounded time before forcing it. */
  static void shutdown(ManagedChannel channel) throws InterruptedException {
    if (!channel.shutdown().awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
