package io.hmb.adapters.engine;

import java.util.Objects;

/**
 * A rule value with the seed clause it comes from and, where the clause is ambiguous or silent, the
 * reading we chose. Every number in a product file travels in one of these.
 *
 * @param value the rule's value; may be null where the file says "none" (e.g. no cap)
 * @param clause seed and clause, e.g. "000 2025年保险责任·升级版【责任一】"
 * @param reading how an ambiguous or silent clause was read, or null when the clause is plain
 */
public record Cited<T>(T value, String clause, String reading) {
  public Cited {
    Objects.requireNonNull(clause, "clause");
  }

  public static <T> Cited<T> of(T value, String clause) {
    return new Cited<>(value, clause, null);
  }
}
