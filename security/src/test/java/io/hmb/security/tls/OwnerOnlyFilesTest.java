package io.hmb.security.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files: owner-only from creation, a planted symbolic link replaced and never followed. */
class OwnerOnlyFilesTest {
  @TempDir Path dir;

  @Test
  void aSecretIsOwnerOnlyAndNoTemporaryFileStays() throws Exception {
    Path key = dir.resolve("tls.key");
    DevCertificateAuthority.Pem.writeSecret(key, "secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    assertThat(Files.readString(key)).isEqualTo("secret");
    DevCertificateAuthority.Pem.writeSecret(key, "rotated"); // replacing an existing one works too
    assertThat(Files.readString(key)).isEqualTo("rotated");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("tls.key");
    }
  }

  @Test
  void aCertificateIsReadableByAll() throws Exception {
    Path crt = dir.resolve("tls.crt");
    DevCertificateAuthority.Pem.write(crt, "certificate");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(crt))).isEqualTo("rw-r--r--");
  }

  @Test
  void aPlantedSymbolicLinkIsReplacedNotFollowed() throws Exception {
    Path victim = dir.resolve("victim");
    Files.writeString(victim, "the attacker wants this overwritten, or the key written here", StandardCharsets.UTF_8);
    Path key = dir.resolve("ca.key");
    Files.createSymbolicLink(key, victim);

    DevCertificateAuthority.Pem.writeSecret(key, "secret");

    assertThat(Files.readString(victim)).startsWith("the attacker wants");
    assertThat(Files.isSymbolicLink(key)).isFalse();
    assertThat(Files.isRegularFile(key, LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.readString(key)).isEqualTo("secret");
  }
}
