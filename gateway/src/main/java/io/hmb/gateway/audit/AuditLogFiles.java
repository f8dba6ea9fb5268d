package io.hmb.gateway.audit;

import io.hmb.security.AuditLogKey;
import io.hmb.security.CheckpointVerifier;
import io.hmb.security.InsecureSecretAccess;
import io.hmb.security.tls.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.spec.InvalidKeySpecException;

/**
 * Where a node keeps its audit log's key and checkpoints: {@code dataDir/audit/} (0700), holding
 * {@code log-key.pem} (the signing key, 0600), {@code log-key.pub.pem} (what participants pin, handed out
 * like ca.crt) and {@code checkpoints} (see {@link CheckpointFile}). The key is made on the first start
 * of a node that has none; cluster nodes share one (GatewayTls.copyClusterMaterial), so they sign as one log.
 */
public final class AuditLogFiles {
  public static final String DIRECTORY = "audit";
  static final String KEY = "log-key.pem";
  public static final String PUBLIC_KEY = "log-key.pub.pem";
  static final String CHECKPOINTS = "checkpoints";

  private AuditLogFiles() {}

  public static Path directory(Path dataDir) {
    return dataDir.resolve(DIRECTORY);
  }

  /** The public key participants pin, as a file to hand out. */
  public static Path publicKeyFile(Path dataDir) {
    return directory(dataDir).resolve(PUBLIC_KEY);
  }

  static Path checkpoints(Path dataDir) {
    return directory(dataDir).resolve(CHECKPOINTS);
  }

  /** The node's log key, made (with its public key file) if the node has none yet. */
  static AuditLogKey loadOrCreateKey(Path dataDir) throws IOException {
    Path dir = directory(dataDir);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Path keyFile = dir.resolve(KEY);
    AuditLogKey key;
    if (Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
      try {
        key = AuditLogKey.fromPem(Files.readString(keyFile, StandardCharsets.US_ASCII), InsecureSecretAccess.get());
      } catch (InvalidKeySpecException e) {
        throw new IllegalStateException(keyFile + " is not an audit log key (" + e.getMessage() + "); restore it "
            + "from backup: a new key would start a new log that participants do not know", e);
      }
    } else {
      key = AuditLogKey.generate();
      OwnerOnlyFiles.replace(keyFile, key.toPem(InsecureSecretAccess.get()).getBytes(StandardCharsets.US_ASCII), true);
    }
    Path pub = dir.resolve(PUBLIC_KEY);
    byte[] pubPem = key.verifier().publicKeyPem().getBytes(StandardCharsets.US_ASCII);
    if (!Files.exists(pub, LinkOption.NOFOLLOW_LINKS) || !java.util.Arrays.equals(Files.readAllBytes(pub), pubPem)) {
      OwnerOnlyFiles.replace(pub, pubPem, false);
    }
    return key;
  }

  /** The verifier of a node's log, from its public key file; empty when the node never served (no key yet). */
  public static java.util.Optional<CheckpointVerifier> verifier(Path dataDir) throws IOException {
    Path pub = publicKeyFile(dataDir);
    if (!Files.exists(pub, LinkOption.NOFOLLOW_LINKS)) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(CheckpointVerifier.fromPem(Files.readString(pub, StandardCharsets.US_ASCII)));
    } catch (InvalidKeySpecException e) {
      throw new IllegalStateException(pub + " is not an audit log public key: " + e.getMessage(), e);
    }
  }

  /** Copies the log key to another node of the same cluster (owner-only, as here). */
  public static void copyKey(Path fromDataDir, Path toDataDir) throws IOException {
    Path from = directory(fromDataDir).resolve(KEY);
    if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
      loadOrCreateKey(fromDataDir);
    }
    Path to = directory(toDataDir);
    if (!Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(to, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    OwnerOnlyFiles.replace(to.resolve(KEY), Files.readAllBytes(from), true);
    loadOrCreateKey(toDataDir); // writes the public key file beside it
  }
}
