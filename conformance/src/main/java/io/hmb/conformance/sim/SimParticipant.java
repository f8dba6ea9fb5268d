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
public record SimParticipant(ParticipantFiles files) {

  public SimParticipant {
    Objects.requireNonNull(files, "files");
  }

  public String code() {
    return files.code();
  }

  public PrivateKeyHandle signingKey() {
    return files.signingKey();
  }

  public TlsIdentity tls() {
    return files.tls();
  }

  public TlsIdentity endpointTls() {
    return files.endpointTls();
  }

  public TrustBundle gatewayCa() {
    return files.gatewayCa();
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
    return new SimParticipant(f);
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
    return "SimParticipant{" + code() + ", key=" + signingKey().keyId() + "}";
  }
}
