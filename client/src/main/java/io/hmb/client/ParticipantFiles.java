package io.hmb.client;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.hmb.security.InsecureSecretAccess;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.PeerIdentity;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A participant's material in a directory, as {@code ./hmb serve --demo} writes it and the agent reads it:
 * {@code DIR/signing.key} (the SM2 envelope key, PKCS#8 PEM), {@code DIR/tls.crt} + {@code tls.key} (its client
 * certificate, for calls to the gateway), {@code DIR/endpoint.crt} + {@code endpoint.key} (its endpoint
 * certificate, what it serves the gateway with) and the gateway's CA (for the demo, {@code ca.crt} beside the
 * participants' directories). The one place that reads such a directory: the examples, the simulators, the
 * conformance suite and the agent all load it here.
 *
 * <p>The participant is the one its client certificate names (SAN URI {@code urn:hmb:participant:CODE}), as the
 * gateway will see it. A directory from before endpoint certificates has none: its {@code tls.crt}, of the old
 * profile (both EKUs), then serves as both. The signing key is read from a file: in production it comes from the
 * participant's key store; keep the directory readable by its owner only.
 */
public record ParticipantFiles(String code, PrivateKeyHandle signingKey, TlsIdentity tls, TlsIdentity endpointTls,
    TrustBundle gatewayCa) {

  public ParticipantFiles {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(signingKey, "signingKey");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(endpointTls, "endpointTls");
    Objects.requireNonNull(gatewayCa, "gatewayCa");
  }

  /** Loads {@code keysDir/code/...} with the CA {@code keysDir/ca.crt} (the demo's layout). */
  public static ParticipantFiles load(Path keysDir, String code) throws IOException, GeneralSecurityException {
    return inDirectory(keysDir.resolve(code), TrustBundle.load(keysDir.resolve("ca.crt")));
  }

  /** Loads one participant's directory, its CA wherever it is kept. */
  public static ParticipantFiles inDirectory(Path dir, TrustBundle gatewayCa) throws IOException, GeneralSecurityException {
    for (String name : new String[] {"signing.key", "tls.crt", "tls.key"}) {
      if (!Files.isRegularFile(dir.resolve(name))) {
        throw new IOException(dir.resolve(name) + " is missing: a participant's directory holds signing.key, "
            + "tls.crt and tls.key (and endpoint.crt and endpoint.key if it serves an endpoint)");
      }
    }
    TlsIdentity tls = TlsIdentity.load(dir, "tls");
    String code = PeerIdentity.participantCode(tls.certificate()).orElseThrow(() ->
        new IllegalArgumentException(dir.resolve("tls.crt") + " names no participant (SAN URI urn:hmb:participant:CODE)"));
    String pem = Files.readString(dir.resolve("signing.key"), StandardCharsets.US_ASCII);
    TlsIdentity endpoint = Files.exists(dir.resolve("endpoint.crt")) ? TlsIdentity.load(dir, "endpoint") : tls;
    return new ParticipantFiles(code, PrivateKeyHandle.fromPem(pem, InsecureSecretAccess.get()), tls, endpoint, gatewayCa);
  }

  /**
   * A channel to the gateway presenting this participant's certificate; it reaches only a server with the
   * gateway's identity (urn:hmb:gateway), not just any certificate of the CA. The caller shuts it down.
   */
  public ManagedChannel channel(String gatewayTarget) throws GeneralSecurityException {
    return Grpc.newChannelBuilder(gatewayTarget, MutualTls.toGateway(tls, gatewayCa)).build();
  }

  /** Credentials for an endpoint the gateway calls: the endpoint certificate; only the gateway's identity gets in. */
  public ServerCredentials serverCredentials() throws GeneralSecurityException {
    return MutualTls.endpointServer(endpointTls, gatewayCa);
  }

  @Override
  public String toString() {
    return "ParticipantFiles{" + code + ", key=" + signingKey.keyId() + "}";
  }
}
