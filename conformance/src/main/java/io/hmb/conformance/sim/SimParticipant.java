package io.hmb.conformance.sim;

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
 * A participant's material as {@code ./hmb serve --demo} writes it: {@code KEYS/CODE/signing.key}
 * (envelope key, PKCS#8 PEM), {@code KEYS/CODE/tls.crt} + {@code tls.key} (its client certificate, for calls
 * to the gateway), {@code KEYS/CODE/endpoint.crt} + {@code endpoint.key} (its endpoint certificate, what it
 * serves the gateway with) and {@code KEYS/ca.crt} (the gateway's CA). A simulator, the conformance suite or
 * one of its fixtures acts as this participant; this is the one place that reads such a directory. A
 * directory from before endpoint certificates has none: its {@code tls.crt}, of the old profile (both EKUs),
 * then serves as both, as it always did.
 */
public record SimParticipant(String code, PrivateKeyHandle signingKey, TlsIdentity tls, TlsIdentity endpointTls,
    TrustBundle gatewayCa) {

  public SimParticipant {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(signingKey, "signingKey");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(endpointTls, "endpointTls");
    Objects.requireNonNull(gatewayCa, "gatewayCa");
  }

  /** Loads {@code keysDir/code/...} and {@code keysDir/ca.crt}. */
  public static SimParticipant load(Path keysDir, String code) throws IOException, GeneralSecurityException {
    return inDirectory(keysDir.resolve(code), TrustBundle.load(keysDir.resolve("ca.crt")));
  }

  /**
   * Loads one participant's directory ({@code signing.key}, {@code tls.crt}, {@code tls.key}) wherever its CA
   * is kept. The participant is the one its certificate names (SAN URI), as the gateway will see it.
   */
  public static SimParticipant inDirectory(Path dir, TrustBundle gatewayCa) throws IOException, GeneralSecurityException {
    TlsIdentity tls = TlsIdentity.load(dir, "tls");
    String code = PeerIdentity.participantCode(tls.certificate()).orElseThrow(() ->
        new IllegalArgumentException(dir.resolve("tls.crt") + " names no participant (SAN URI urn:hmb:participant:CODE)"));
    String pem = Files.readString(dir.resolve("signing.key"), StandardCharsets.US_ASCII);
    TlsIdentity endpoint = Files.exists(dir.resolve("endpoint.crt")) ? TlsIdentity.load(dir, "endpoint") : tls;
    return new SimParticipant(code, PrivateKeyHandle.fromPem(pem, InsecureSecretAccess.get()), tls, endpoint, gatewayCa);
  }

  /** Opens a channel to the gateway with this participant's certificate and builds its client. */
  public GatewayConnection connect(String gatewayTarget) throws GeneralSecurityException {
    return new GatewayConnection(this, channel(gatewayTarget));
  }

  /**
   * A channel to the gateway authenticated with this participant's certificate, which reaches only a server
   * presenting the gateway's identity; the caller shuts it down.
   */
  public ManagedChannel channel(String gatewayTarget) throws GeneralSecurityException {
    return Grpc.newChannelBuilder(gatewayTarget, MutualTls.toGateway(tls, gatewayCa)).build();
  }

  /** Credentials for an endpoint the gateway calls: its endpoint certificate; only the gateway's identity gets in. */
  public ServerCredentials serverCredentials() throws GeneralSecurityException {
    return MutualTls.endpointServer(endpointTls, gatewayCa);
  }

  @Override
  public String toString() {
    return "SimParticipant{" + code + ", key=" + signingKey.keyId() + "}";
  }
}
