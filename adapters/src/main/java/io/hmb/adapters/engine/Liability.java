package io.hmb.adapters.engine;

import java.util.List;

/**
 * One liability of a product: which claims and buckets it covers, its deductible group, ratio and cap.
 *
 * @param deductibleGroup id of the deductible it draws on (shared when several liabilities name it), or
 *     null for no deductible
 * @param bandGroup id of the cumulative amount the bands are read on (shared like deductibles), or null when flat
 * @param preexistingRatioBp flat ratio for pre-existing conditions, or null when the liability has none
 * @param annualCapFen cap on the year's payout (value null: no cap)
 * @param ratioWithoutCriticalIllnessPkuBp ratio once 大病保险's PKU cover has ended (Dalian PKU), or null
 * @param unfiledOutOfAreaCountingBp share of an unfiled out-of-area stay that counts (大病 第十条), or null
 * @param inPlan whether this plan of the product offers the liability (value false: the liability is
 *     written down as the seed gives it but this plan does not pay it, e.g. Wuwei basic 八(二)); null: offered
 */
public record Liability(String code, String clause, Cited<List<ClaimType>> claimTypes, Cited<List<Bucket>> buckets,
    String deductibleGroup, Cited<Ratio> ratio, String bandGroup, Cited<Integer> preexistingRatioBp,
    Cited<Long> annualCapFen, Cited<Integer> ratioWithoutCriticalIllnessPkuBp, Cited<Integer> unfiledOutOfAreaCountingBp,
    Conditions conditions, Cited<Boolean> inPlan) {

  public boolean covers(ClaimType type) {
    return claimTypes.value().contains(type);
  }

  public boolean offered() {
    return inPlan == null || inPlan.value();
  }
}
