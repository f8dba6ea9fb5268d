package io.hmb.adapters.engine;

import java.util.List;

/**
 * A liability's payout ratio: either one flat ratio or progressive bands on the cumulative amount after
 * the deductible (per band group, across the year's claims).
 *
 * @param flatBp flat ratio in basis points, or null when banded
 * @param bands ascending bands, the last open-ended; empty when flat
 */
public record Ratio(Integer flatBp, List<Band> bands) {
  /** A band up to {@code upToFen} of cumulative amount after the deductible (null: no upper end). */
  public record Band(Long upToFen, int bp) {}

  public Ratio {
    bands = bands == null ? List.of() : List.copyOf(bands);
  }

  public static Ratio flat(int bp) {
    return new Ratio(bp, List.of());
  }

  public boolean banded() {
    return flatBp == null;
  }
}
