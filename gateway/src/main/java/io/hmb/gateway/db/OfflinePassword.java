package io.hmb.gateway.db;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sets the superuser's password of a stopped cluster without starting a server anyone could reach: in
 * PostgreSQL's single-user mode (no TCP, no socket), with a SCRAM-SHA-256 verifier computed here (RFC 5802
 * / 7677, PostgreSQL's stored form), so neither the password nor a listening port ever exists while a
 * directory made before passwords (trust auth) is upgraded.
 */
final class OfflinePassword {
  private static final int ITERATIONS = 4096;
  private static final SecureRandom RANDOM = new SecureRandom();

  private OfflinePassword() {}

  /** Runs {@code ALTER ROLE ... PASSWORD} in single-user mode with the binaries of {@code pgDirectory}. */
  static void set(Path postgresBinary, Path cluster, String role, String password) throws IOException {
    List<String> command = new java.util.ArrayList<>(asRootPrefix());
    command.addAll(List.of(postgresBinary.toString(), "--single", "-D", cluster.toString(),
        "-c", "listen_addresses=", "-c", "unix_socket_directories=", "postgres"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(("ALTER ROLE \"" + role + "\" PASSWORD '" + verifier(password) + "'\n").getBytes(StandardCharsets.US_ASCII));
    }
    String output;
    try (InputStream out = p.getInputStream()) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      out.transferTo(all);
      output = all.toString(StandardCharsets.UTF_8);
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("PostgreSQL single-user mode did not finish within 60 s in " + cluster);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while setting the password in " + cluster, e);
    }
    if (p.exitValue() != 0 || output.contains("ERROR:") || output.contains("FATAL:")) {
      throw new IOException("could not set the password of " + role + " in " + cluster + " (exit " + p.exitValue()
          + "): " + output.lines().filter(l -> l.contains("ERROR") || l.contains("FATAL")).findFirst().orElse(output.strip()));
    }
  }

  /**
   * PostgreSQL refuses to run as root. As zonky does for the server itself, root runs it in a user namespace
   * of its own ({@code unshare -U}), where it is an unprivileged user that owns the data directory.
   */
  private static List<String> asRootPrefix() throws IOException {
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    return Integer.valueOf(0).equals(uid) ? List.of("unshare", "-U") : List.of();
  }

  /**
   * The postgres binary zonky unpacked for this cluster's major version, among those in {@code binaries}
   * (PrivateDirectory: only this user can write there). The newest if several match.
   */
  static Path binaryFor(Path binaries, Path cluster) throws IOException {
    String major = Files.readString(cluster.resolve("PG_VERSION"), StandardCharsets.US_ASCII).strip();
    List<Path> candidates;
    try (Stream<Path> dirs = Files.list(binaries)) {
      candidates = dirs.map(d -> d.resolve("bin").resolve("postgres")).filter(Files::isExecutable)
          .sorted(Comparator.comparing(OfflinePassword::modified).reversed()).toList();
    }
    for (Path candidate : candidates) {
      if (majorVersion(candidate).equals(major)) {
        return candidate;
      }
    }
    throw new IOException("no PostgreSQL " + major + " binaries in " + binaries + " for " + cluster);
  }

  private static java.nio.file.attribute.FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return java.nio.file.attribute.FileTime.fromMillis(0);
    }
  }

  private static String majorVersion(Path postgres) throws IOException {
    Process p = new ProcessBuilder(postgres.toString(), "-V").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // "postgres (PostgreSQL) 17.2"
    String version = out.replaceAll("(?s).*\\(PostgreSQL\\)\\s+([0-9]+).*", "$1").strip();
    return version;
  }

  /** PostgreSQL's stored SCRAM-SHA-256 secret: SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey. */
  static String verifier(String password) {
    try {
      byte[] salt = new byte[16];
      RANDOM.nextBytes(salt);
      byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
      byte[] clientKey = hmac(salted, "Client Key");
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
      byte[] serverKey = hmac(salted, "Server Key");
      Base64.Encoder b64 = Base64.getEncoder();
      return "SCRAM-SHA-256$" + ITERATIONS + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
          + b64.encodeToString(serverKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2/HMAC-SHA-256 are in every JDK", e);
    }
  }

  private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
  }
}
