package io.hmb.gateway.tls;

import io.hmb.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a gateway's serving certificates are: the operator's files where the configuration names them
 * ({@code tlsCertificate} and {@code tlsPrivateKey}, {@code tlsParticipantCa}), else the development CA's in
 * {@code dataDir/tls}. Each file carries the label a message names it by, so an operator reads which setting
 * to fix.
 */
public record TlsFiles(File certificate, File privateKey, File participantCa) {

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
  record Contents(byte[] certificate, byte[] privateKey, byte[] participantCa) {}

  public static TlsFiles of(GatewayConfig config) {
    Path dev = config.dataDir().resolve("tls");
    return new TlsFiles(
        config.tlsCertificate() == null
            ? new File(dev.resolve(GatewayTls.SERVER_NAME + ".crt"), "the development certificate "
                + dev.resolve(GatewayTls.SERVER_NAME + ".crt"))
            : new File(config.tlsCertificate(), "tlsCertificate " + config.tlsCertificate()),
        config.tlsPrivateKey() == null
            ? new File(dev.resolve(GatewayTls.SERVER_NAME + ".key"), "the development key "
                + dev.resolve(GatewayTls.SERVER_NAME + ".key"))
            : new File(config.tlsPrivateKey(), "tlsPrivateKey " + config.tlsPrivateKey()),
        config.tlsParticipantCa() == null
            ? new File(dev.resolve("ca.crt"), "the development CA " + dev.resolve("ca.crt"))
            : new File(config.tlsParticipantCa(), "tlsParticipantCa " + config.tlsParticipantCa()));
  }

  Contents read() {
    return new Contents(certificate.read(), privateKey.read(), participantCa.read());
  }
}
