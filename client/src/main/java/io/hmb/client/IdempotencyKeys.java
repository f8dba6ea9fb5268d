package io.hmb.client;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Idempotency keys: the name of one business operation (one deduction, one settlement record), chosen
 * by the sender and kept across every retry of that operation.
 *
 * <p><b>Persist the key before the first attempt</b> (with the business record it belongs to, in the
 * same transaction), as TigerBeetle clients persist a transfer id before sending. After a crash, send
 * again with the stored key: the gateway and the recipient answer with the original outcome instead
 * of acting twice. The SDK does not persist keys for you.
 */
public final class IdempotencyKeys {
  /** 1 to 64 characters of [A-Za-z0-9._:-] (envelope.proto). */
  public static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private IdempotencyKeys() {}

  /** A fresh random key (a UUID, 36 characters). Store it before you send. */
  public static String random() {
    return UUID.randomUUID().toString();
  }

  /** Returns the key if well-formed; otherwise IllegalArgumentException (the key itself is not echoed). */
  public static String check(String key) {
    if (key == null || !FORMAT.matcher(key).matches()) {
      throw new IllegalArgumentException("an idempotency key must be 1 to 64 characters of [A-Za-z0-9._:-]");
    }
    return key;
  }
}
