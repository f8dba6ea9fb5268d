package io.hmb.gateway.backup;

import io.hmb.gateway.Version;
import io.hmb.gateway.db.DataDirLock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A backup of a whole data directory (the embedded PostgreSQL cluster, the CA and TLS keys, the audit log key
 * and its checkpoints, the database passwords) taken while no gateway runs on it: cold, because the embedded
 * PostgreSQL comes without pg_dump or pg_basebackup, and because the audit checkpoints must match the
 * database they sign. The gateway's own lock ({@link DataDirLock}) is held for the whole copy, so a gateway
 * cannot start on the directory meanwhile, and a running one makes the backup refuse.
 *
 * <p>The archive is a ZIP readable only by its owner (0600): it holds private keys and the database's
 * passwords. Its first entry, {@value #MANIFEST}, names the format, the hmb version and the SHA-256 of every
 * file; {@link #restore} checks every one before the restored directory is used.
 */
public final class ColdBackup {
  static final String MANIFEST = "hmb-backup.manifest";
  static final String FORMAT = "hmb-cold-backup 1";
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  /** Lock and pid files of the processes that ran here: meaningless (or harmful: a reused pid) elsewhere. */
  private static final Set<String> LEFT_OUT = Set.of("gateway.lock", "postgres/postmaster.pid", "postgres/epg-lock");

  private ColdBackup() {}

  /** What a backup or restore did. */
  public record Summary(int files, long bytes) {}

  /** A gateway (or a PostgreSQL it left) runs on the directory, or the archive is not what it should be. */
  public static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    RefusedException(String message) {
      super(message);
    }
  }

  /** Writes {@code dataDir} to {@code archive} (a new file, 0600), holding the data directory's lock throughout. */
  public static Summary write(Path dataDir, Path archive) throws IOException {
    if (Files.exists(archive, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(archive + " exists; give a new file name (a backup never overwrites)");
    }
    Optional<DataDirLock> lock = DataDirLock.tryAcquire(dataDir);
    if (lock.isEmpty()) {
      throw new RefusedException("a gateway is running on " + dataDir.toAbsolutePath()
          + "; stop it first (a backup is taken cold, docs/operations.md \"Backup and restore\")");
    }
    DataDirLock held = lock.get();
    try {
      refuseLivePostgres(dataDir);
      List<Path> directories = new ArrayList<>();
      List<Path> files = filesOf(dataDir, directories);
      Path dir = archive.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path partial = Files.createTempFile(dir, ".hmb-backup-", ".partial",
          PosixFilePermissions.asFileAttribute(OWNER_FILE));
      try {
        Map<String, String> digests = new LinkedHashMap<>();
        long bytes = 0;
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
          // PostgreSQL needs its empty directories (pg_tblspc, pg_notify, ...), so they travel as entries too.
          for (Path d : directories) {
            zip.putNextEntry(new ZipEntry(nameOf(dataDir, d) + "/"));
            zip.closeEntry();
          }
          // The manifest comes last; restore checks every file against it before the directory is used.
          for (Path file : files) {
            String name = nameOf(dataDir, file);
            zip.putNextEntry(new ZipEntry(name));
            MessageDigest sha = sha256();
            try (OutputStream digesting = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
              bytes += copy(file, zip, digesting);
            }
            zip.closeEntry();
            digests.put(name, HexFormat.of().formatHex(sha.digest()));
          }
          zip.putNextEntry(new ZipEntry(MANIFEST));
          zip.write(manifest(digests).getBytes(StandardCharsets.UTF_8));
          zip.closeEntry();
        }
        Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
        return new Summary(files.size(), bytes);
      } finally {
        Files.deleteIfExists(partial);
      }
    } finally {
      held.close();
    }
  }

  /**
   * Restores {@code archive} into {@code dataDir}, which must not exist or be empty: every file is checked against
   * the manifest, written owner-only (files 0600, directories 0700), and only a complete, verified restore is
   * moved to {@code dataDir}.
   */
  public static Summary restore(Path archive, Path dataDir) throws IOException {
    if (!Files.isRegularFile(archive)) {
      throw new RefusedException(archive + " is not a file");
    }
    if (Files.exists(dataDir, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> entries = Files.list(dataDir)) {
        if (entries.findAny().isPresent()) {
          throw new RefusedException(dataDir.toAbsolutePath() + " is not empty; restore into a new directory "
              + "(move the old one aside first)");
        }
      }
    }
    Path target = dataDir.toAbsolutePath().normalize();
    Files.createDirectories(target.getParent());
    Path staging = Files.createTempDirectory(target.getParent(), ".hmb-restore-",
        PosixFilePermissions.asFileAttribute(OWNER_DIR));
    try {
      Map<String, String> written = new LinkedHashMap<>();
      Optional<Map<String, String>> manifest = Optional.empty();
      long bytes = 0;
      try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
          if (entry.getName().equals(MANIFEST)) {
            manifest = Optional.of(parseManifest(new String(zip.readAllBytes(), StandardCharsets.UTF_8)));
            continue;
          }
          Path file = staging.resolve(entry.getName()).normalize();
          if (!file.startsWith(staging) || file.equals(staging)) {
            throw new RefusedException(archive + " is not an hmb backup (entry " + entry.getName() + ")");
          }
          if (entry.isDirectory()) {
            createOwnerOnlyDirectories(staging, file);
            continue;
          }
          createOwnerOnlyDirectories(staging, file.getParent());
          MessageDigest sha = sha256();
          try (OutputStream out = new DigestOutputStream(Files.newOutputStream(Files.createFile(file,
              PosixFilePermissions.asFileAttribute(OWNER_FILE))), sha)) {
            bytes += zip.transferTo(out);
          }
          written.put(entry.getName(), HexFormat.of().formatHex(sha.digest()));
        }
      } catch (java.util.zip.ZipException e) {
        throw new RefusedException(archive + " is not a readable hmb backup: " + e.getMessage());
      }
      if (manifest.isEmpty()) {
        throw new RefusedException(archive + " is not an hmb backup (no " + MANIFEST + ")");
      }
      if (!manifest.get().equals(written)) {
        throw new RefusedException(archive + " is damaged: its files do not match its manifest (" + mismatch(
            manifest.get(), written) + "); use another backup");
      }
      if (Files.exists(dataDir)) {
        Files.delete(dataDir); // empty, checked above
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return new Summary(written.size(), bytes);
    } finally {
      deleteTree(staging);
    }
  }

  private static void refuseLivePostgres(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
    if (first.matches("\\d+") && ProcessHandle.of(Long.parseLong(first)).map(ProcessHandle::isAlive).orElse(false)) {
      throw new RefusedException("a PostgreSQL (pid " + first + ") still runs in " + pidFile.getParent()
          + ", left by a gateway that was killed; start the gateway once and stop it (it stops the orphan), then back up");
    }
  }

  /** The regular files to copy; {@code directories} gets every directory below {@code dataDir}. */
  private static List<Path> filesOf(Path dataDir, List<Path> directories) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(dataDir)) {
      for (Path p : (Iterable<Path>) all.sorted()::iterator) {
        if (!p.equals(dataDir) && Files.isSymbolicLink(p)) {
          throw new RefusedException(p + " is a symbolic link; a cold backup copies a self-contained data directory only");
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !p.equals(dataDir)) {
          directories.add(p);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !LEFT_OUT.contains(nameOf(dataDir, p))) {
          files.add(p);
        }
      }
    }
    return files;
  }

  private static String nameOf(Path dataDir, Path file) {
    return dataDir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  private static long copy(Path file, OutputStream zip, OutputStream digest) throws IOException {
    long n = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int r; (r = in.read(buffer)) > 0; n += r) {
        zip.write(buffer, 0, r);
        digest.write(buffer, 0, r);
      }
    }
    return n;
  }

  private static String manifest(Map<String, String> digests) {
    StringBuilder b = new StringBuilder(FORMAT).append('\n')
        .append("hmb ").append(Version.current()).append('\n')
        .append("taken ").append(Instant.now()).append('\n');
    digests.forEach((name, sha) -> b.append("sha256 ").append(sha).append(' ').append(name).append('\n'));
    return b.toString();
  }

  private static Map<String, String> parseManifest(String text) throws RefusedException {
    List<String> lines = text.lines().toList();
    if (lines.isEmpty() || !lines.get(0).equals(FORMAT)) {
      throw new RefusedException("not a backup this hmb can restore (format: " + (lines.isEmpty() ? "none" : lines.get(0))
          + ", expected " + FORMAT + ")");
    }
    Map<String, String> digests = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.startsWith("sha256 ")) {
        String[] parts = line.split(" ", 3);
        digests.put(parts[2], parts[1]);
      }
    }
    return digests;
  }

  private static String mismatch(Map<String, String> expected, Map<String, String> actual) {
    for (var e : expected.entrySet()) {
      if (!e.getValue().equals(actual.get(e.getKey()))) {
        return actual.containsKey(e.getKey()) ? e.getKey() + " differs" : e.getKey() + " is missing";
      }
    }
    return actual.keySet().stream().filter(k -> !expected.containsKey(k)).findFirst().map(k -> k + " is unlisted")
        .orElse("?");
  }

  private static void createOwnerOnlyDirectories(Path root, Path dir) throws IOException {
    if (dir.equals(root) || Files.isDirectory(dir)) {
      return;
    }
    createOwnerOnlyDirectories(root, dir.getParent());
    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
