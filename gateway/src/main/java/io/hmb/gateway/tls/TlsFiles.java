package io.hmb.gateway.tls;

import io.hmb.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a gateway's certificates are: the operator's files where the configuration names them
 * ({@code tlsCertificate} and {@code tlsPrivateKey}, {@code tlsClientCertificate} and {@code tlsClientPrivateKey},
 * {@code tlsParticipantCa}), else the development CA's in
 * {@code dataDir/tls}. Each file carries the label a message names it by, so an operator reads which setting
 * to fix.
 */
public record TlsFiles(File certificate, File privateKey, File clientCertificate, File clientPrivateKey,
    File participantCa) {

  /** One file and how messages name it: "tlsCertificate /etc/hmb/gateway.crt". */
  public record File(Path path, String label) {
    /** The file's bytes, or one line saying why they cannot be had (never its content). */
    byte[] read() {
      try {
        return Files.readAllBytes(path);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException(label + " does not exist");
      } catch (AccessDeniedException e) {
        throw new IllegalArgumentException(label + " cannot be read by this user (permission denied)");
      } catch (IOException e) {
        throw new IllegalArgumentException(label + " cannot be read (" + e.getClass().getSimpleName() + ")");
      }
    }
  }

  /** The bytes of the three files, read together. */
  record Contents(byte[] certificate, byte[] privateKey, byte[] clientCertificate, byte[] clientPrivateKey,
      byte[] participantCa) {}

  public static TlsFiles of(GatewayConfig config) {
    Path dev = config.dataDir().resolve("tls");
    return new TlsFiles(
        file(config.tlsCertificate(), "tlsCertificate", dev.resolve(GatewayTls.SERVER_NAME + ".crt"),
            "the development certificate"),
        file(config.tlsPrivateKey(), "tlsPrivateKey", dev.resolve(GatewayTls.SERVER_NAME + ".key"),
            "the development key"),
        file(config.tlsClientCertificate(), "tlsClientCertificate", dev.resolve(GatewayTls.CLIENT_NAME + ".crt"),
            "the development client certificate"),
        file(config.tlsClientPrivateKey(), "tlsClientPrivateKey", dev.resolve(GatewayTls.CLIENT_NAME + ".key"),
            "the development client key"),
        file(config.tlsParticipantCa(), "tlsParticipantCa", dev.resolve("ca.crt"), "the development CA"));
  }

  private static File file(Path configured, String setting, Path development, String what) {
    return configured == null ? new File(development, what + " " + development)
        : new File(configured, setting + " " + configured);
  }

  Contents read() {
    return new Contents(certificate.read(), privateKey.read(), clientCertificate.read(), clientPrivateKey.read(),
        participantCa.read());
  }
}
