package io.hmb.adapters.mapping;

import io.hmb.adapters.engine.Claim;
import io.hmb.adapters.engine.ClaimType;
import io.hmb.adapters.engine.Costs;
import io.hmb.adapters.engine.PolicyPeriod;
import io.hmb.api.v1.CareType;
import io.hmb.api.v1.SettlementData;
import java.time.Instant;
import java.time.LocalDate;

/** {@code hmb.v1.SettlementData} to the engine's {@link Claim}. */
public final class SettlementClaims {
  private SettlementClaims() {}

  /**
   * Facts the bureau's settlement does not carry and the insurer's review supplies; null when not known.
   */
  public record ReviewFacts(Boolean qualifiedPrescription, Boolean criticalIllnessPkuActive, Integer hospitalGrade,
      String institution, Boolean preexistingRelated, String excludedCause, Claim.Items items) {
    public static final ReviewFacts NONE = new ReviewFacts(null, null, null, null, null, null, Claim.Items.NONE);

    /** The review's facts without item facts (nothing shown about 丙类, list membership, brand). */
    public ReviewFacts(Boolean qualifiedPrescription, Boolean criticalIllnessPkuActive, Integer hospitalGrade,
        String institution, Boolean preexistingRelated, String excludedCause) {
      this(qualifiedPrescription, criticalIllnessPkuActive, hospitalGrade, institution, preexistingRelated, excludedCause,
          Claim.Items.NONE);
    }
  }

  public static Claim toClaim(SettlementData s, ReviewFacts facts) {
    if (s.getCareType() == CareType.CARE_TYPE_UNSPECIFIED || s.getCareType() == CareType.UNRECOGNIZED) {
      throw new SettlementFieldException(SettlementFieldException.Reason.UNKNOWN_CODE, "care_type", "is not set");
    }
    ClaimType type = ClaimType.valueOf(s.getCareType().name().substring("CARE_TYPE_".length()));
    var b = s.getBuckets();
    Costs costs = new Costs(b.getTotalFen(), b.getPublicPaidFen(), b.getInscopeCopayFen(), b.getClassBPriorSelfpayFen(),
        b.getOutOfCatalogueFen(), b.getExcludedFen(), b.getOtherSelfpayFen());
    return Claim.builder(s.getSettlementId(), settleDay(s), type, s.getTreatmentAdmdvs(), costs)
        .outOfAreaFiled(s.getOutOfAreaFiled()).drug(blankToNull(s.getDrugCode())).pharmacy(blankToNull(s.getPharmacyCode()))
        .qualifiedPrescription(facts.qualifiedPrescription()).criticalIllnessPkuActive(facts.criticalIllnessPkuActive())
        .hospitalGrade(facts.hospitalGrade()).institution(facts.institution()).preexistingRelated(facts.preexistingRelated())
        .excludedCause(facts.excludedCause()).items(facts.items()).build();
  }

  /** The day of {@code settle_time} in China Standard Time, the calendar policy years and claim days follow. */
  public static LocalDate settleDay(SettlementData s) {
    return Instant.ofEpochSecond(s.getSettleTime().getSeconds()).atZone(PolicyPeriod.CST).toLocalDate();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
