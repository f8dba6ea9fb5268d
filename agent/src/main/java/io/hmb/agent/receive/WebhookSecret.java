package io.hmb.agent.receive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret the agent signs what it posts to the local system with (webhook calls, questions to the answer
 * URL): {@code STATE/webhook.secret}, 256 random bits as base64url text, made on first start, 0600 (a file
 * readable by others is refused). The local system holds a copy and checks {@code Hmb-Signature}: {@code v1=}
 * lower-case hex of HMAC-SHA256 keyed with the file's text (without its line end) over
 * {@code Hmb-Timestamp + "." + body} (docs/agent.md "The webhook contract").
 */
final class WebhookSecret {
  static final String FILE = "webhook.secret";
  static final String SIGNATURE_VERSION = "v1=";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private final byte[] key;

  private WebhookSecret(String text) {
    this.key = text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads {@code file}, making it first if it does not exist. */
  static WebhookSecret loadOrCreate(Path file) throws IOException {
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
          + "); chmod 600 it: anyone who reads it can forge the agent's webhook calls");
    }
    String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (value.length() < 32) {
      throw new IOException(file + " holds a secret shorter than 32 characters; delete it and a new one is made "
          + "(then give the local system the new one)");
    }
    return new WebhookSecret(value);
  }

  /** {@code v1=<hex>} for a call at {@code unixSeconds} with {@code body}. */
  String sign(long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return SIGNATURE_VERSION + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }
}
