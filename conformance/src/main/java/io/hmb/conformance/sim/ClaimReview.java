package io.hmb.conformance.sim;

import io.hmb.adapters.mapping.SettlementClaims;
import io.hmb.api.v1.SettlementData;

/**
 * The facts the insurer's claim review adds to what the bureau's settlement data carries. The simulated
 * hospitals ({@code HOSPITAL-*} participant codes) are all grade 3 (三级) designated hospitals, so
 * products that limit the grade (Wuwei: grade 2 and above) pay for them; anything else is not shown,
 * and the rules that need it deny.
 */
public final class ClaimReview {
  public static final int SIMULATED_HOSPITAL_GRADE = 3;

  private ClaimReview() {}

  public static SettlementClaims.ReviewFacts facts(SettlementData s) {
    boolean simulatedHospital = s.getInstitutionCode().startsWith("HOSPITAL-");
    return new SettlementClaims.ReviewFacts(null, null, simulatedHospital ? SIMULATED_HOSPITAL_GRADE : null,
        null, null, null);
  }
}
