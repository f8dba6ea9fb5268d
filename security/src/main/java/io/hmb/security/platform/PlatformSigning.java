package io.hmb.security.platform;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The national medical-insurance platform's signing string: the request's fields sorted by key
 * (ascending, by UTF-16 code unit, which is byte order for the platform's ASCII keys), joined as
 * {@code k1=v1&k2=v2&...}.
 *
 * <p>Decisions (documented in docs/envelope.md, "National platform signing"):
 * <ul>
 *   <li>Fields whose value is null or empty are skipped (the platform SDKs do the same).</li>
 *   <li>The fields that carry the signature itself are skipped: by default {@code cainfo} and
 *       {@code signData}. {@code signtype} is signed like any other field.</li>
 *   <li>Values are used exactly as transmitted; a nested object (e.g. {@code input}) must be passed
 *       as the exact JSON text that is sent. No URL encoding, no trimming.</li>
 *   <li>The string is encoded as UTF-8 before signing.</li>
 * </ul>
 */
public final class PlatformSigning {
  /** Field names never included in the signing string. */
  public static final Set<String> SIGNATURE_FIELDS = Set.of("cainfo", "signData");

  private PlatformSigning() {}

  /** The signing string of {@code fields}, skipping empty values and {@link #SIGNATURE_FIELDS}. */
  public static String signingString(Map<String, String> fields) {
    Objects.requireNonNull(fields, "fields");
    StringJoiner out = new StringJoiner("&");
    new TreeMap<>(fields).forEach((k, v) -> {
      if (v != null && !v.isEmpty() && !SIGNATURE_FIELDS.contains(k)) {
        out.add(k + "=" + v);
      }
    });
    return out.toString();
  }
}
