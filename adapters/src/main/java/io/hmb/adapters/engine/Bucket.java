package io.hmb.adapters.engine;

/**
 * The parts of a settled bill a liability can cover, as in {@code hmb.v1.CostBuckets}. Public-paid and
 * excluded costs are never coverable, so they are not listed here.
 */
public enum Bucket {
  /** In-catalogue personal co-pay left after the public layers (统筹自付), without class-B prior self-pay. */
  INSCOPE_COPAY,
  /** Prior self-pay of class-B items (乙类先行自付). */
  CLASS_B_PRIOR_SELFPAY,
  /** Out-of-catalogue full self-pay (丙类 / 个人自费 / 全额自费). */
  OUT_OF_CATALOGUE,
  /** Anything else the person paid (e.g. over-limit self-pay where a city keeps it apart). */
  OTHER_SELFPAY,
  /**
   * Part of {@link #OUT_OF_CATALOGUE}: 丙类 items inside the basic catalogue (收费项目等级 03), as the claim's
   * {@link Claim.Items#classCFen()} shows; 0 when not shown. Wuwei 八(一).
   */
  CLASS_C,
  /**
   * Part of {@link #OUT_OF_CATALOGUE}: items on the bureau-compiled list of covered out-of-catalogue costs,
   * as the claim's {@link Claim.Items#listedOutOfCatalogueFen()} shows; 0 when not shown. Wuwei 八(二).
   */
  LISTED_OUT_OF_CATALOGUE;

  /** A part of the out-of-catalogue bucket, read from the claim's item facts rather than from {@link Costs}. */
  public boolean partOfOutOfCatalogue() {
    return this == CLASS_C || this == LISTED_OUT_OF_CATALOGUE;
  }
}
