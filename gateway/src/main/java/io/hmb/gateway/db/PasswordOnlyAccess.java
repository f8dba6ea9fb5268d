package io.hmb.gateway.db;

import io.hmb.security.tls.DevCertificateAuthority;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded cluster's pg_hba.conf: a password (scram-sha-256) over loopback TCP, for every role, and no
 * other way in (no trust, no Unix socket, no replication). Written at every start, so the file is always
 * this one; its first line tells a directory made before passwords (zonky's initdb -A trust) from ours.
 */
final class PasswordOnlyAccess {
  static final String MARKER = "# hmb: password-only access (written by the gateway at every start; edits are lost)";
  static final String CONTENT = MARKER + "\n"
      + "# TYPE  DATABASE  USER  ADDRESS        METHOD\n"
      + "host    all       all   127.0.0.1/32   scram-sha-256\n"
      + "host    all       all   ::1/128        scram-sha-256\n";

  private PasswordOnlyAccess() {}

  static boolean isWritten(Path clusterDirectory) throws IOException {
    Path hba = clusterDirectory.resolve("pg_hba.conf");
    return Files.isRegularFile(hba) && Files.readString(hba, StandardCharsets.US_ASCII).startsWith(MARKER);
  }

  /** For zonky's data directory customizer: before every start. */
  static void write(File clusterDirectory) {
    try {
      // Owner-only, replaced by rename: PostgreSQL reads it; no one else needs to.
      DevCertificateAuthority.Pem.writeSecret(clusterDirectory.toPath().resolve("pg_hba.conf"), CONTENT);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + clusterDirectory + "/pg_hba.conf", e);
    }
  }
}
