package io.hmb.conformance.sim;

import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.hmb.client.ParticipantFiles;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A participant a simulator, the conformance suite or one of its fixtures acts as: its material, read by the
 * client's {@link ParticipantFiles} (the one reader of a participant's directory), and how it connects.
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
    return of(ParticipantFiles.load(keysDir, code));
  }

  /** Loads one participant's directory wherever its CA is kept (see {@link ParticipantFiles#inDirectory}). */
  public static SimParticipant inDirectory(Path dir, TrustBundle gatewayCa) throws IOException, GeneralSecurityException {
    return of(ParticipantFiles.inDirectory(dir, gatewayCa));
  }

  public static SimParticipant of(ParticipantFiles f) {
    return new SimParticipant(f.code(), f.signingKey(), f.tls(), f.endpointTls(), f.gatewayCa());
  }

  /** The same material as the client reads it. */
  public ParticipantFiles files() {
    return new ParticipantFiles(code, signingKey, tls, endpointTls, gatewayCa);
  }

  /** Opens a channel to the gateway with this participant's certificate and builds its client. */
  public GatewayConnection connect(String gatewayTarget) throws GeneralSecurityException {
    return new GatewayConnection(this, channel(gatewayTarget));
  }

  /** See {@link ParticipantFiles#channel}; the caller shuts it down. */
  public ManagedChannel channel(String gatewayTarget) throws GeneralSecurityException {
    return files().channel(gatewayTarget);
  }

  /** See {@link ParticipantFiles#serverCredentials}. */
  public ServerCredentials serverCredentials() throws GeneralSecurityException {
    return files().serverCredentials();
  }

  @Override
  public String toString() {
    return "SimParticipant{" + code + ", key=" + signingKey.keyId() + "}";
  }
}
