package io.hmb.agent.http;

import io.hmb.agent.store.SecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The bearer token local systems present to the agent ({@code Authorization: Bearer TOKEN}). Required on
 * every call but health, loopback included: a hostile local user must not send in the participant's name.
 * Made on first start (256 random bits) in a 0600 file the operator hands to the local systems; a file
 * readable by group or others is refused, as a key would be.
 */
public final class AccessToken {
  private final byte[] token;

  private AccessToken(String token) {
    this.token = token.getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads the token in {@code file}, making it first if the file does not exist. */
  public static AccessToken loadOrCreate(Path file) throws IOException {
    return new AccessToken(SecretFile.loadOrCreate(file, "can send in the participant's name"));
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
