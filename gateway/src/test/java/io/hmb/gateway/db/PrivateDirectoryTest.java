package io.hmb.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL's binaries are unpacked only where no other user can plant a file (once: world-writable /tmp). */
class PrivateDirectoryTest {
  @TempDir Path tmp;

  @Test
  void aNewDirectoryIsOwnerOnly() throws Exception {
    Path dir = PrivateDirectory.ownerOnly(tmp.resolve("cache").resolve("pg"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
  }

  @Test
  void aDirectoryOthersCanWriteIsRefused() throws Exception {
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> PrivateDirectory.ownerOnly(shared)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("can be written by others").hasMessageContaining("rwxrwxrwx");
  }

  @Test
  void aLinkIsRefused() throws Exception {
    Path target = Files.createDirectory(tmp.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
    assertThatThrownBy(() -> PrivateDirectory.ownerOnly(link)).hasMessageContaining("not a link");
  }

  @Test
  void theEmbeddedDatabasesBinariesLiveInTheUsersPrivateCache() throws Exception {
    Path dir = PrivateDirectory.binaries();
    assertThat(dir.toString()).doesNotStartWith("/tmp");
    String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
    assertThat(perms.charAt(5)).as("group search %s", perms).isEqualTo('-');
    assertThat(perms.charAt(8)).as("others search %s", perms).isEqualTo('-');
  }
}
