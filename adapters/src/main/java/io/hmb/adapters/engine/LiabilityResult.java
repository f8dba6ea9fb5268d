package io.hmb.adapters.engine;

import io.hmb.api.v1.LiabilityPayout;
import java.util.List;

/**
 * How one liability treated one claim, with every intermediate figure so a person can re-do the sum.
 *
 * @param denial why this liability pays nothing, or null when its rules let it pay
 * @param coveredFen sum of the buckets the liability covers
 * @param countedFen the part that counts (less than covered only where a counting rule applies, 大病 第十条)
 * @param deductibleAppliedFen deductible met on this claim
 * @param segments the after-deductible amount split by band (positions are cumulative in the band group)
 * @param ratioBp the ratio applied; for bands, the highest band reached
 * @param ratioSource BASE, PREEXISTING, ASSISTANCE or CRITICAL_ILLNESS_PKU_ENDED
 * @param uncappedPayoutFen payout before the annual cap, rounded half-up once
 * @param capFen the annual cap (null: none)
 * @param capRemainingBeforeFen room under the cap before this claim (Long.MAX_VALUE when no cap)
 */
public record LiabilityResult(String liability, String clause, DenialReason denial, long coveredFen, long countedFen,
    long deductibleAppliedFen, List<Segment> segments, int ratioBp, String ratioSource, long uncappedPayoutFen,
    Long capFen, long capRemainingBeforeFen, boolean capped, long payoutFen) {

  /** Part of the after-deductible amount paid at one ratio: cumulative positions [fromFen, toFen). */
  public record Segment(long fromFen, long toFen, int bp) {
    public long lengthFen() {
      return toFen - fromFen;
    }
  }

  public LiabilityResult {
    segments = List.copyOf(segments);
  }

  public static LiabilityResult denied(Liability l, DenialReason reason, long coveredFen) {
    return new LiabilityResult(l.code(), l.clause(), reason, coveredFen, 0, 0, List.of(), 0, "BASE", 0,
        l.annualCapFen().value(), 0, false, 0);
  }

  public LiabilityPayout toProto() {
    return LiabilityPayout.newBuilder().setLiability(liability).setCoveredFen(countedFen)
        .setDeductibleAppliedFen(deductibleAppliedFen).setRatioBp(ratioBp).setPayoutFen(payoutFen).setCapped(capped)
        .setClause(clause).build();
  }
}
