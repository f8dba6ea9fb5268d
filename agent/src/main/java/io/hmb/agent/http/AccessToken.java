package io.hmb.agent.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The bearer token local systems present to the agent ({@code Authorization: Bearer TOKEN}). Required on
 * every call but health, loopback included: a hostile local user must not send in the participant's name.
 * Made on first start (256 random bits) in a 0600 file the operator hands to the local systems; a file
 * readable by group or others is refused, as a key would be.
 */
public final class AccessToken {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private final byte[] token;

  private AccessToken(String token) {
    this.token = token.getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads the token in {@code file}, making it first if the file does not exist. */
  public static AccessToken loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(file, fresh + "\n", StandardCharsets.US_ASCII);
      } catch (FileAlreadyExistsException raced) {
        // another start made it first: read that one
      }
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      throw new IOException(file + " is readable by others (" + PosixFilePermissions.toString(permissions)
          + "); chmod 600 it: anyone who reads it can send in the participant's name");
    }
    String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (value.length() < 32) {
      throw new IOException(file + " holds a token shorter than 32 characters; delete it and a new one is made");
    }
    return new AccessToken(value);
  }

  /** Whether an Authorization header carries this token (compared in constant time). */
  boolean admits(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(presented, token);
  }
}
