package io.hmb.conformance.sim;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A short tag in the ids and idempotency keys a simulator run makes. The gateway remembers every
 * (sender, key) for good, so a second run against the same gateway must not reuse the first run's keys
 * for other content (IDEMPOTENCY_KEY_REUSED).
 */
final class RunTag {
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9]{1,8}");

  private RunTag() {}

  static String next() {
    return Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36), 36);
  }

  static String check(String tag) {
    if (tag == null || !FORMAT.matcher(tag).matches()) {
      throw new IllegalArgumentException("a run tag is 1 to 8 letters or digits");
    }
    return tag;
  }
}
