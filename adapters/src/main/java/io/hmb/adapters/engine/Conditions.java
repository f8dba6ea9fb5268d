package io.hmb.adapters.engine;

import java.util.List;

/**
 * What a claim must show for one liability to pay. Each is null when the liability sets no such condition.
 *
 * @param drugs listed drugs (names as the seed lists them)
 * @param pharmacies designated pharmacies
 * @param qualifiedPrescription the prescription must come from a doctor qualified to prescribe it
 * @param institutions designated treating institutions
 * @param maxAge oldest age in full years, inclusive, on the claim day
 * @param schemes basic-insurance schemes allowed
 * @param treatedInCity the care must happen in the product's city
 * @param minHospitalGrade lowest hospital grade (1-3) allowed
 */
public record Conditions(Cited<List<String>> drugs, Cited<List<String>> pharmacies, Cited<Boolean> qualifiedPrescription,
    Cited<List<String>> institutions, Cited<Integer> maxAge, Cited<List<Scheme>> schemes, Cited<Boolean> treatedInCity,
    Cited<Integer> minHospitalGrade) {
  public static final Conditions NONE = new Conditions(null, null, null, null, null, null, null, null);
}
