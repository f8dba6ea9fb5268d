package io.hmb.conformance.sim;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What the simulators need to know about a demo city: its participants (the codes {@code ./hmb serve
 * --demo} registers) and pharmacy, its products, whether the bureau settles one-stop at discharge, and
 * default business days for a demo (one inside the sales window, one inside the policy year).
 *
 * <p>One-stop settlement: the seeds describe it for Dalian only (Dalian-insured, hospitalised in Dalian,
 * seed 000); Liaocheng settles its claims offline within 7 working days (seed 004); Wuwei's seed says
 * nothing, so Wuwei is simulated offline too.
 *
 * @param enrolmentDay a day on which the city's products are on sale
 * @param careDay a day inside the policy year of the city's products
 */
public record CityProfile(String admdvs, String name, List<String> products, boolean oneStopSettlement,
    LocalDate enrolmentDay, LocalDate careDay) {

  public static final String DALIAN = "210200";
  public static final String WUWEI = "620600";
  public static final String LIAOCHENG = "371500";

  private static final Map<String, CityProfile> CITIES = Map.of(
      DALIAN, new CityProfile(DALIAN, "Dalian", List.of("dalian-2025-basic", "dalian-2025-upgrade"), true,
          LocalDate.of(2025, 10, 20), LocalDate.of(2026, 3, 16)),
      WUWEI, new CityProfile(WUWEI, "Wuwei", List.of("wuwei-2025-basic", "wuwei-2025-upgrade"), false,
          LocalDate.of(2025, 6, 2), LocalDate.of(2025, 12, 1)),
      LIAOCHENG, new CityProfile(LIAOCHENG, "Liaocheng", List.of("liaocheng-2024"), false,
          LocalDate.of(2023, 12, 20), LocalDate.of(2024, 5, 15)));

  /** Every demo city, in a fixed order (Dalian, Wuwei, Liaocheng). */
  public static List<CityProfile> all() {
    return List.of(CITIES.get(DALIAN), CITIES.get(WUWEI), CITIES.get(LIAOCHENG));
  }

  /** The profile of a demo city; IllegalArgumentException for any other code. */
  public static CityProfile of(String admdvs) {
    CityProfile c = CITIES.get(admdvs);
    if (c == null) {
      throw new IllegalArgumentException("no simulated city " + admdvs + "; known: " + CITIES.keySet());
    }
    return c;
  }

  public String bureau() {
    return "BUREAU-" + admdvs;
  }

  public String leadInsurer() {
    return "INSURER-LEAD-" + admdvs;
  }

  public String coInsurer() {
    return "INSURER-CO-" + admdvs;
  }

  /** Hospital {@code n} (1 or 2). */
  public String hospital(int n) {
    return String.format("HOSPITAL-%s-%02d", admdvs, n);
  }

  /**
   * Pharmacy {@code n}'s code in settlement data (fixmedins_code). Not a gateway participant: in these flows a
   * pharmacy settles through the bureau's system and sends nothing itself.
   */
  public String pharmacy(int n) {
    return String.format("PHARMACY-%s-%02d", admdvs, n);
  }

  public boolean hasProduct(String productCode) {
    return products.contains(productCode);
  }
}
