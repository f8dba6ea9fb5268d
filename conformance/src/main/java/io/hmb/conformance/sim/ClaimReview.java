package io.hmb.conformance.sim;

import io.hmb.adapters.engine.Claim;
import io.hmb.adapters.mapping.SettlementClaims;
import io.hmb.api.v1.CareType;
import io.hmb.api.v1.SettlementData;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The facts the insurer's claim review adds to what the bureau's settlement data carries. The simulated
 * hospitals ({@code HOSPITAL-*} participant codes) are all grade 3 (三级) designated hospitals, so
 * products that limit the grade (Wuwei: grade 2 and above) pay for them. Simulated drug patients file a
 * prescription written at one of those hospitals by a doctor qualified to prescribe the drug, so a drug
 * claim from a simulated hospital or pharmacy ({@code PHARMACY-*}) shows a qualified prescription. Anything
 * else is not shown, and the rules that need it deny.
 */
public final class ClaimReview {
  public static final int SIMULATED_HOSPITAL_GRADE = 3;
  /** {@link SpecialDrugs#DRUG_TYPES} as settlement data names them: ClaimType is CareType without the prefix. */
  private static final Set<CareType> DRUGS = SpecialDrugs.DRUG_TYPES.stream()
      .map(t -> CareType.valueOf("CARE_TYPE_" + t.name())).collect(Collectors.toUnmodifiableSet());

  private ClaimReview() {}

  public static SettlementClaims.ReviewFacts facts(SettlementData s) {
    boolean simulatedHospital = s.getInstitutionCode().startsWith("HOSPITAL-");
    boolean simulatedPharmacy = s.getInstitutionCode().startsWith("PHARMACY-");
    boolean qualifiedPrescription = DRUGS.contains(s.getCareType()) && (simulatedHospital || simulatedPharmacy);
    // Item facts the simulated bureau and insurer know: the simulation dispenses only listed drugs (so a drug
    // claim with a code is on the list), its bills hold no 丙类 items, and every out-of-catalogue item it bills
    // is on the bureau's compiled list (Wuwei 八(二)); a real review matches codes (NationalSettlementMapper.itemFacts).
    boolean drug = DRUGS.contains(s.getCareType()) && !s.getDrugCode().isBlank();
    Claim.Items items = new Claim.Items(0L, s.getBuckets().getOutOfCatalogueFen(), drug ? Boolean.TRUE : null, null, null);
    return new SettlementClaims.ReviewFacts(qualifiedPrescription ? Boolean.TRUE : null, null,
        simulatedHospital ? SIMULATED_HOSPITAL_GRADE : null, null, null, null, items);
  }
}
