package io.hmb.adapters.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * A settled bill in fen, split into disjoint buckets exactly as {@code hmb.v1.CostBuckets}:
 * total = publicPaid + inscopeCopay + classBPriorSelfpay + outOfCatalogue + excluded + otherSelfpay.
 * Construction refuses negative amounts, amounts above {@link Money#MAX_AMOUNT_FEN} and buckets that do
 * not add up; nothing is clamped.
 */
public record Costs(long totalFen, long publicPaidFen, long inscopeCopayFen, long classBPriorSelfpayFen,
    long outOfCatalogueFen, long excludedFen, long otherSelfpayFen) {

  public Costs {
    check("total_fen", totalFen);
    check("public_paid_fen", publicPaidFen);
    check("inscope_copay_fen", inscopeCopayFen);
    check("class_b_prior_selfpay_fen", classBPriorSelfpayFen);
    check("out_of_catalogue_fen", outOfCatalogueFen);
    check("excluded_fen", excludedFen);
    check("other_selfpay_fen", otherSelfpayFen);
    long sum = publicPaidFen + inscopeCopayFen + classBPriorSelfpayFen + outOfCatalogueFen + excludedFen
        + otherSelfpayFen;
    if (sum != totalFen) {
      throw new ClaimInputException(ClaimInputException.Reason.BUCKETS_DO_NOT_ADD_UP, "total_fen",
          "buckets add up to " + sum + " fen but total_fen is " + totalFen);
    }
  }

  private static void check(String field, long fen) {
    if (fen < 0) {
      throw new ClaimInputException(ClaimInputException.Reason.NEGATIVE_AMOUNT, field, "was " + fen);
    }
    if (fen > Money.MAX_AMOUNT_FEN) {
      throw new ClaimInputException(ClaimInputException.Reason.AMOUNT_TOO_LARGE, field,
          "was " + fen + ", limit " + Money.MAX_AMOUNT_FEN);
    }
  }

  public long bucket(Bucket b) {
    return switch (b) {
      case INSCOPE_COPAY -> inscopeCopayFen;
      case CLASS_B_PRIOR_SELFPAY -> classBPriorSelfpayFen;
      case OUT_OF_CATALOGUE -> outOfCatalogueFen;
      case OTHER_SELFPAY -> otherSelfpayFen;
      case CLASS_C, LISTED_OUT_OF_CATALOGUE -> throw new IllegalArgumentException(
          b + " is a part of OUT_OF_CATALOGUE shown by the claim's items; read it with Claim.amount");
    };
  }

  public Map<Bucket, Long> asMap() {
    Map<Bucket, Long> m = new EnumMap<>(Bucket.class);
    for (Bucket b : Bucket.values()) if (!b.partOfOutOfCatalogue()) m.put(b, bucket(b));
    return m;
  }
}
