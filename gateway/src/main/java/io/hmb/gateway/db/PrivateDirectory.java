package io.hmb.gateway.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Where the embedded PostgreSQL's binaries are unpacked: {@code $XDG_CACHE_HOME/hmb} or
 * {@code ~/.cache/hmb}, created owner-only and refused if another user could write to it (a binary
 * planted there would run with the gateway's rights). One copy per user, shared by every data directory.
 */
final class PrivateDirectory {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private PrivateDirectory() {}

  static Path binaries() throws IOException {
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
    return ownerOnly(base.resolve("hmb").resolve("embedded-postgres"));
  }

  /** {@code dir}, created 0700 if absent; IllegalStateException if it is a link, another user's, or writable by others. */
  static Path ownerOnly(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // another gateway of this user made it meanwhile: check it below like any existing one
      }
    }
    if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException(dir + " must be a directory, not a link; remove it and start again");
    }
    UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    // Adding a file to a directory takes write and search (x) rights. zonky sets the write bits for all when it
    // unpacks (for sharing a cache between users), so only write together with search counts as "others can plant".
    boolean groupCanAdd = perms.contains(PosixFilePermission.GROUP_WRITE) && perms.contains(PosixFilePermission.GROUP_EXECUTE);
    boolean othersCanAdd = perms.contains(PosixFilePermission.OTHERS_WRITE)
        && perms.contains(PosixFilePermission.OTHERS_EXECUTE);
    if (!owner.equals(me) || groupCanAdd || othersCanAdd) {
      throw new IllegalStateException(dir + " (for PostgreSQL's binaries) belongs to " + owner.getName()
          + " or can be written by others (" + PosixFilePermissions.toString(perms) + "); make it yours with mode 700, "
          + "or set XDG_CACHE_HOME to a directory of your own");
    }
    return dir;
  }
}
