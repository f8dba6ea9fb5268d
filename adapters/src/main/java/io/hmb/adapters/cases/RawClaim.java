package io.hmb.adapters.cases;

import io.hmb.adapters.engine.Claim;
import io.hmb.adapters.engine.ClaimType;
import io.hmb.adapters.engine.Costs;
import java.time.LocalDate;

/**
 * A claim as written in a case file, before the engine's input checks; {@link #toClaim()} runs them
 * (so a case can expect a refusal such as NEGATIVE_AMOUNT).
 */
public record RawClaim(String id, LocalDate date, ClaimType type, String hospitalCity, boolean settledByBasicInsurance,
    Boolean outOfAreaFiled, long totalFen, long publicPaidFen, long inscopeCopayFen, long classBPriorSelfpayFen,
    long outOfCatalogueFen, long excludedFen, long otherSelfpayFen, String drug, String pharmacy,
    Boolean qualifiedPrescription, Boolean criticalIllnessPkuActive, Integer hospitalGrade, String institution,
    Boolean preexistingRelated, String excludedCause, Claim.Items items) {

  public Claim toClaim() {
    Costs costs = new Costs(totalFen, publicPaidFen, inscopeCopayFen, classBPriorSelfpayFen, outOfCatalogueFen,
        excludedFen, otherSelfpayFen);
    return Claim.builder(id, date, type, hospitalCity, costs).settledByBasicInsurance(settledByBasicInsurance)
        .outOfAreaFiled(outOfAreaFiled).drug(drug).pharmacy(pharmacy).qualifiedPrescription(qualifiedPrescription)
        .criticalIllnessPkuActive(criticalIllnessPkuActive).hospitalGrade(hospitalGrade).institution(institution)
        .preexistingRelated(preexistingRelated).excludedCause(excludedCause).items(items).build();
  }
}
