package io.hmb.agent.receive;

import io.hmb.agent.store.SecretFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
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

  private final byte[] key;

  private WebhookSecret(String text) {
    this.key = text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads {@code file}, making it first if it does not exist. */
  static WebhookSecret loadOrCreate(Path file) throws IOException {
    return new WebhookSecret(SecretFile.loadOrCreate(file, "can forge the agent's webhook calls"));
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
