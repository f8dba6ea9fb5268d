package io.hmb.adapters.engine;

import java.util.Map;
import java.util.TreeMap;

/**
 * A person's yearly totals for one product year, or the effect of one adjudication on them (a delta).
 * Immutable: {@link #plus} and {@link #minus} return new values; a balance is never edited in place.
 *
 * @param deductibleUsedFen per deductible group: deductible met so far
 * @param bandAmountFen per band group: cumulative amount after the deductible (where the bands are read)
 * @param paidFen per liability: paid so far (what the annual cap is checked against)
 */
public record Accumulators(Map<String, Long> deductibleUsedFen, Map<String, Long> bandAmountFen, Map<String, Long> paidFen) {
  public static final Accumulators EMPTY = new Accumulators(Map.of(), Map.of(), Map.of());

  public Accumulators {
    deductibleUsedFen = freeze(deductibleUsedFen);
    bandAmountFen = freeze(bandAmountFen);
    paidFen = freeze(paidFen);
  }

  private static Map<String, Long> freeze(Map<String, Long> m) {
    var t = new TreeMap<String, Long>();
    m.forEach((k, v) -> {
      if (v != 0) t.put(k, v);
    });
    return java.util.Collections.unmodifiableMap(t);
  }

  public long deductibleUsed(String group) {
    return deductibleUsedFen.getOrDefault(group, 0L);
  }

  public long bandAmount(String group) {
    return bandAmountFen.getOrDefault(group, 0L);
  }

  public long paid(String liability) {
    return paidFen.getOrDefault(liability, 0L);
  }

  public long totalPaid() {
    long sum = 0;
    for (long v : paidFen.values()) sum += v;
    return sum;
  }

  public Accumulators plus(Accumulators d) {
    return new Accumulators(add(deductibleUsedFen, d.deductibleUsedFen, 1), add(bandAmountFen, d.bandAmountFen, 1),
        add(paidFen, d.paidFen, 1));
  }

  /** Takes a delta back out; a total that would go negative means the delta was never applied. */
  public Accumulators minus(Accumulators d) {
    return new Accumulators(add(deductibleUsedFen, d.deductibleUsedFen, -1), add(bandAmountFen, d.bandAmountFen, -1),
        add(paidFen, d.paidFen, -1));
  }

  private static Map<String, Long> add(Map<String, Long> a, Map<String, Long> b, int sign) {
    var out = new TreeMap<>(a);
    b.forEach((k, v) -> {
      long r = Math.addExact(out.getOrDefault(k, 0L), sign * v);
      if (r < 0) throw new IllegalStateException("accumulator " + k + " would go negative (" + r + "): reversing an effect never applied");
      out.put(k, r);
    });
    return out;
  }
}
