package io.hmb.adapters.engine;

import java.util.List;

/**
 * What a claim must show for one liability to pay. Each is null when the liability sets no such condition.
 *
 * @param drugs listed drugs (names as the seed lists them, with brand and manufacturer where it names them)
 * @param pharmacies designated pharmacies
 * @param qualifiedPrescription the prescription must come from a doctor qualified to prescribe it
 * @param institutions designated treating institutions
 * @param maxAge oldest age in full years, inclusive, on the claim day
 * @param schemes basic-insurance schemes allowed
 * @param treatedInCity the care must happen in the product's city
 * @param minHospitalGrade lowest hospital grade (1-3) allowed
 * @param insuredInCity the person must hold basic insurance in the product's city (any district of it)
 * @param drugOnList the claim must show that the drug's code is on the product's published list (a list the
 *     seed does not print, so the file cannot hold it)
 */
public record Conditions(Cited<List<DrugListing>> drugs, Cited<List<String>> pharmacies, Cited<Boolean> qualifiedPrescription,
    Cited<List<String>> institutions, Cited<Integer> maxAge, Cited<List<Scheme>> schemes, Cited<Boolean> treatedInCity,
    Cited<Integer> minHospitalGrade, Cited<Boolean> insuredInCity, Cited<Boolean> drugOnList) {
  public static final Conditions NONE = new Conditions(null, null, null, null, null, null, null, null, null, null);

  /** The list entry for a drug name, or null. */
  public DrugListing listing(String drug) {
    if (drugs == null || drug == null) return null;
    for (DrugListing d : drugs.value()) if (d.name().equals(drug)) return d;
    return null;
  }
}
