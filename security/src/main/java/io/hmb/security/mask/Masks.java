package io.hmb.security.mask;

import java.util.Set;

/**
 * Masking of personal data for logs, audit text and error messages. Use it wherever the project
 * logs something about a person; never log the raw values. Each method accepts null and returns a
 * string that reveals at most what its Javadoc states. Input that does not look like the expected
 * kind of value is masked completely (only its length survives, capped), so a field mix-up cannot
 * leak data.
 */
public final class Masks {
  private static final int MAX_STARS = 32;
  /** Two-character surnames (复姓) kept whole by {@link #name(String)}. */
  private static final Set<String> COMPOUND_SURNAMES = Set.of("欧阳", "司马", "上官", "诸葛", "东方",
      "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "司空", "夏侯", "轩辕", "令狐", "端木",
      "独孤", "南宫", "西门", "百里", "呼延", "闻人", "澹台", "申屠", "万俟", "赫连", "钟离", "太史",
      "公冶", "濮阳", "淳于", "单于", "仲孙", "拓跋", "第五");

  private Masks() {}

  /**
   * A valid 18-character identity number keeps its first 4 and last 4 characters:
   * {@code "210203199001011234" -> "2102**********1234"}. Anything else (wrong length, bad check
   * digit) is masked completely.
   */
  public static String residentId(String id) {
    if (id == null) {
      return "";
    }
    if (!ResidentIdNumber.isValid(id)) {
      return stars(id.length());
    }
    return id.substring(0, 4) + stars(10) + id.substring(14);
  }

  /**
   * Keeps the surname: {@code "张三" -> "张*"}, {@code "欧阳娜娜" -> "欧阳**"}, {@code "买买提·艾力"
   * -> "买*****"}. Single-character input becomes {@code "*"}.
   */
  public static String name(String name) {
    if (name == null || name.isEmpty()) {
      return "";
    }
    String trimmed = name.strip();
    int count = trimmed.codePointCount(0, trimmed.length());
    if (count <= 1) {
      return "*";
    }
    int keep = count > 2 && COMPOUND_SURNAMES.contains(prefix(trimmed, 2)) ? 2 : 1;
    return prefix(trimmed, keep) + stars(count - keep);
  }

  /**
   * A mainland mobile number (11 digits starting with 1, optionally +86/86 prefixed) keeps its first
   * 3 and last 4 digits: {@code "13812345678" -> "138****5678"}. Other numbers keep only their last
   * 4 digits.
   */
  public static String phone(String phone) {
    if (phone == null) {
      return "";
    }
    String digits = phone.replaceAll("[\\s-]", "");
    if (digits.startsWith("+86")) {
      digits = digits.substring(3);
    } else if (digits.length() == 13 && digits.startsWith("86")) {
      digits = digits.substring(2);
    }
    if (digits.matches("1[0-9]{10}")) {
      return digits.substring(0, 3) + "****" + digits.substring(7);
    }
    return keepLast4(digits);
  }

  /** Keeps the last 4 characters: {@code "6222021234567890123" -> "***************0123"}. */
  public static String bankAccount(String account) {
    if (account == null) {
      return "";
    }
    return keepLast4(account.replaceAll("\\s", ""));
  }

  private static String keepLast4(String s) {
    if (s.length() <= 4) {
      return stars(s.length());
    }
    return stars(s.length() - 4) + s.substring(s.length() - 4);
  }

  private static String prefix(String s, int codePoints) {
    return s.substring(0, s.offsetByCodePoints(0, codePoints));
  }

  private static String stars(int n) {
    return "*".repeat(Math.min(n, MAX_STARS));
  }
}
