package io.hmb.security.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Writes key and certificate files so that a local user cannot read a secret while it is written nor
 * redirect the write with a symbolic link: a new file with its final permissions (created, never
 * opened if it exists), then an atomic rename over the target (a rename replaces a link, it does not
 * follow it).
 */
public final class OwnerOnlyFiles {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  private OwnerOnlyFiles() {}

  /** Writes {@code content} to {@code target}, readable by its owner only when {@code secret}, others' too when not. */
  public static void replace(Path target, byte[] content, boolean secret) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve("." + target.getFileName() + "." + HexFormat.of().formatHex(randomBytes()) + ".tmp");
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(secret ? SECRET : PUBLIC)}
        : new FileAttribute<?>[0];
    Files.createFile(temp, attributes); // fails on anything already there, a link included
    try {
      try (OutputStream out = Files.newOutputStream(temp, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        out.write(content);
      }
      if (posix) {
        // The umask can only have removed bits; a public file still gets its read bits.
        Files.setPosixFilePermissions(temp, secret ? SECRET : PUBLIC);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return b;
  }
}
