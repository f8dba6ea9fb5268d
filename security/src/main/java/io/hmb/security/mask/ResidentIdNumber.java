package io.hmb.security.mask;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The 18-character citizen identity number (公民身份号码, GB 11643-1999): 6-digit region, 8-digit birth
 * date, 3-digit sequence, 1 check character (0-9 or X) computed with ISO 7064 MOD 11-2.
 */
public final class ResidentIdNumber {
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final char[] CHECK = "10X98765432".toCharArray();

  private ResidentIdNumber() {}

  /** True for 17 digits, a valid birth date, and the right check character (X upper or lower case). */
  public static boolean isValid(String id) {
    if (id == null || id.length() != 18) {
      return false;
    }
    for (int i = 0; i < 17; i++) {
      if (id.charAt(i) < '0' || id.charAt(i) > '9') {
        return false;
      }
    }
    try {
      LocalDate.of(Integer.parseInt(id.substring(6, 10)), Integer.parseInt(id.substring(10, 12)),
          Integer.parseInt(id.substring(12, 14)));
    } catch (DateTimeException e) {
      return false;
    }
    return Character.toUpperCase(id.charAt(17)) == checkCharacter(id.substring(0, 17));
  }

  /** The check character for the first 17 digits. */
  public static char checkCharacter(String first17) {
    if (first17 == null || first17.length() != 17 || !first17.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("need 17 digits");
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * WEIGHTS[i];
    }
    return CHECK[sum % 11];
  }
}
