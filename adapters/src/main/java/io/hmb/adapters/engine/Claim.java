package io.hmb.adapters.engine;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One settled bill presented for a product's benefit. Optional facts are null when not shown; the rules
 * that need a fact deny when it is not shown rather than guess.
 *
 * @param date the settlement (discharge or purchase) day, China Standard Time
 * @param hospitalCity six-digit admdvs of where the care happened
 * @param outOfAreaFiled whether an out-of-area stay was filed (异地就医备案); null = not shown = not filed
 * @param qualifiedPrescription special drugs: prescribed by a doctor qualified to prescribe them
 * @param criticalIllnessPkuActive PKU food: whether 大病保险's PKU food cover is still in force (null: in force)
 * @param hospitalGrade 1, 2 or 3 (一级/二级/三级), where a product limits the grade
 * @param institution name of the treating institution, where a product lists institutions
 * @param preexistingRelated for products whose pre-existing ratio is per disease: whether this claim is
 *     for a pre-existing condition (null: the person's flag)
 * @param excludedCause a whole-claim exclusion cause found on review (e.g. SELF_HARM), or null
 */
public record Claim(String id, LocalDate date, ClaimType type, String hospitalCity, boolean settledByBasicInsurance,
    Boolean outOfAreaFiled, Costs costs, String drug, String pharmacy, Boolean qualifiedPrescription,
    Boolean criticalIllnessPkuActive, Integer hospitalGrade, String institution, Boolean preexistingRelated,
    String excludedCause) {

  public Claim {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hospitalCity, "hospitalCity");
    Objects.requireNonNull(costs, "costs");
  }

  /** A claim with only the required facts; use the with-ers for the rest. */
  public static Claim of(String id, LocalDate date, ClaimType type, String hospitalCity, Costs costs) {
    return new Claim(id, date, type, hospitalCity, true, null, costs, null, null, null, null, null, null, null, null);
  }

  public Claim withId(String newId) {
    return new Claim(newId, date, type, hospitalCity, settledByBasicInsurance, outOfAreaFiled, costs, drug, pharmacy,
        qualifiedPrescription, criticalIllnessPkuActive, hospitalGrade, institution, preexistingRelated, excludedCause);
  }

  public Claim withCosts(Costs newCosts) {
    return new Claim(id, date, type, hospitalCity, settledByBasicInsurance, outOfAreaFiled, newCosts, drug, pharmacy,
        qualifiedPrescription, criticalIllnessPkuActive, hospitalGrade, institution, preexistingRelated, excludedCause);
  }

}
