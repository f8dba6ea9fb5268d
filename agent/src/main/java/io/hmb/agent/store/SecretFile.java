package io.hmb.agent.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * A secret the agent keeps in its state directory and hands to the local systems (the access token, the webhook
 * secret): 256 random bits as base64url text, made on first start, 0600; a file readable by group or others is
 * refused, as a key would be. The one place both are made and read.
 */
public final class SecretFile {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private SecretFile() {}

  /**
   * The secret's text in {@code file} (without its line end), making the file first if it does not exist.
   *
   * @param misuse what anyone who reads the file could do, for the error that refuses a loose file
   */
  public static String loadOrCreate(Path file, String misuse) throws IOException {
    if (!Files.exists(file)) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(temporary, fresh + "\n", StandardCharsets.US_ASCII);
        // A kill -9 mid-write leaves no half secret: the file appears whole or not at all.
        Files.createLink(file, temporary);
        Files.delete(temporary);
      } catch (FileAlreadyExistsException raced) {
        // another start made it first: read that one
      }
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      throw new IOException(file + " is readable by others (" + PosixFilePermissions.toString(permissions)
          + "); chmod 600 it: anyone who reads it " + misuse);
    }
    String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (value.length() < 32) {
      throw new IOException(file + " holds a secret shorter than 32 characters; delete it and a new one is made "
          + "(then give the local systems the new one)");
    }
    return value;
  }
}
