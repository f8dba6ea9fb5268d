package io.hmb.gateway.db;

import io.hmb.security.tls.DevCertificateAuthority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The embedded PostgreSQL's passwords, one file per role in {@code dataDir/postgres-credentials} (beside the
 * cluster, which initdb wants empty): the directory 0700, each file 0600 from the moment it exists (written
 * like a private key, {@link DevCertificateAuthority.Pem#writeSecret}). A password is generated at the first
 * start and kept; a file another user could read, or a link, is refused, never used.
 */
public final class DatabaseCredentials {
  /** The cluster's superuser: owns the schema, runs the migrations; the DBA's login. */
  public static final String SUPERUSER = "postgres";
  /** The role the gateway serves as: no superuser, no DDL, only the rights V9 grants. */
  public static final String APP_ROLE = "hmb_app";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path directory;

  private DatabaseCredentials(Path directory) {
    this.directory = directory;
  }

  /** The credentials of the embedded cluster in {@code clusterDirectory} ({@code dataDir/postgres}). */
  static DatabaseCredentials of(Path clusterDirectory) {
    return new DatabaseCredentials(clusterDirectory.toAbsolutePath().resolveSibling("postgres-credentials"));
  }

  public Path directory() {
    return directory;
  }

  public Path file(String role) {
    return directory.resolve(role + ".password");
  }

  /** The role's password, generated and written owner-only if it has none yet. */
  String loadOrCreate(String role) throws IOException {
    PrivateDirectory.ownerOnly(directory);
    Path file = file(role);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] random = new byte[32];
      RANDOM.nextBytes(random);
      // base64url: no quote, backslash or space, so the value is safe wherever PostgreSQL or a shell reads it.
      DevCertificateAuthority.Pem.writeSecret(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }
    return read(role);
  }

  /** The role's password; IllegalStateException if there is none or its file is not the owner's alone. */
  public String read(String role) throws IOException {
    Path file = file(role);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException("no password for " + role + " in " + directory
          + ": start the gateway once on this data directory (it makes them)");
    }
    try {
      if (Files.isSymbolicLink(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalStateException(file + " must be a regular file, not a link; remove it and start the gateway again");
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
      if (!PosixFilePermissions.fromString("rw-------").containsAll(perms)) {
        throw new IllegalStateException(file + " can be read by others (" + PosixFilePermissions.toString(perms)
            + "): its password must be treated as known; chmod 600 it only if no one else could have read it");
      }
      String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (!password.matches("[A-Za-z0-9_-]{20,}")) {
        throw new IllegalStateException(file + " does not hold a password the gateway made");
      }
      return password;
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("the password file " + file + " went away while being read", e);
    }
  }
}
