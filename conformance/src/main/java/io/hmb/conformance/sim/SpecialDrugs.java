package io.hmb.conformance.sim;

import io.hmb.adapters.engine.ClaimType;
import io.hmb.adapters.engine.Conditions;
import io.hmb.adapters.engine.Liability;
import io.hmb.adapters.engine.Money;
import io.hmb.adapters.engine.Product;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The drugs simulated patients buy (特药): which of them a product pays for, and the bill of one purchase.
 *
 * <p>A product pays for a drug when one of its liabilities covers the drug's claim type and, where that
 * liability lists drugs, the drug is on the list. Dalian's list and designated pharmacies are read from the
 * product file (seed 000 2025年特药目录); Liaocheng's high-cost and special-effect lists (004 三(三)3-4) are not
 * in the seed, so the drugs below stand in for them; Wuwei's products cover no drug. The conditions are what
 * each drug is prescribed for; prices and catalogue status are illustrative, not list prices or the national
 * catalogue's.
 */
public final class SpecialDrugs {
  /** The claim types of drug purchases, as the products' liabilities name them. */
  public static final Set<ClaimType> DRUG_TYPES =
      EnumSet.of(ClaimType.SPECIAL_DRUG, ClaimType.HIGH_COST_DRUG, ClaimType.SPECIAL_EFFECT_DRUG);
  /** Share of a class-B drug the person pays before the pool (乙类先行自付); illustrative. */
  static final int CLASS_B_PRIOR_SELFPAY_BP = 1_000;

  private static final List<ListedDrug> FORMULARY = List.of(
      // Dalian 2025 特药目录 (names as the product file lists them); sex-specific indications left out
      // because the simulated population has no recorded sex.
      new ListedDrug("西妥昔单抗注射液", ClaimType.SPECIAL_DRUG, "RAS wild-type metastatic colorectal cancer", 2_000_000, true),
      new ListedDrug("甲磺酸阿帕替尼片", ClaimType.SPECIAL_DRUG, "advanced gastric cancer", 1_500_000, true),
      new ListedDrug("盐酸恩沙替尼胶囊", ClaimType.SPECIAL_DRUG, "ALK-positive non-small-cell lung cancer", 1_800_000, true),
      new ListedDrug("瑞派替尼片", ClaimType.SPECIAL_DRUG, "advanced gastrointestinal stromal tumour", 800_000, false),
      new ListedDrug("甲磺酸达拉非尼胶囊", ClaimType.SPECIAL_DRUG, "BRAF V600E-mutant melanoma", 900_000, false),
      // Liaocheng 特定高额药品 (outside the basic catalogue, 004 三(三)3): examples.
      new ListedDrug("帕博利珠单抗注射液", ClaimType.HIGH_COST_DRUG, "PD-L1-positive non-small-cell lung cancer", 900_000, false),
      new ListedDrug("纳武利尤单抗注射液", ClaimType.HIGH_COST_DRUG, "advanced gastric cancer", 850_000, false),
      // Liaocheng 特殊疗效药品 (Shandong's special-effect drugs are catalogue drugs, 004 三(三)4): examples.
      new ListedDrug("贝伐珠单抗注射液", ClaimType.SPECIAL_EFFECT_DRUG, "metastatic colorectal cancer", 1_500_000, true),
      new ListedDrug("注射用曲妥珠单抗", ClaimType.SPECIAL_EFFECT_DRUG, "HER2-positive gastric cancer", 1_600_000, true));

  private SpecialDrugs() {}

  /** The drugs {@code product} pays for, in formulary order; empty when it has no drug liability. */
  public static List<ListedDrug> coveredBy(Product product) {
    return FORMULARY.stream().filter(d -> liabilityFor(product, d).isPresent()).toList();
  }

  /**
   * One purchase of {@code drug} on {@code day} under {@code product}: at the pharmacy the product designates
   * (the first it lists; the city's simulated pharmacy where it lists none), or, for a special-effect drug, at
   * the city's first hospital. A class-B drug leaves {@link #CLASS_B_PRIOR_SELFPAY_BP} to the person first and
   * the rest is in scope for the pool; any other drug is paid in full by the person.
   */
  public static Bill purchase(Product product, ListedDrug drug, LocalDate day) {
    Liability liability = liabilityFor(product, drug)
        .orElseThrow(() -> new IllegalArgumentException(product.code() + " does not pay for " + drug.name()));
    CityProfile city = CityProfile.of(product.cityAdmdvs());
    long total = drug.purchaseFen();
    long classBPrior = drug.inBasicCatalogue() ? Money.applyBpHalfUp(total, CLASS_B_PRIOR_SELFPAY_BP) : 0;
    long inScope = drug.inBasicCatalogue() ? total - classBPrior : 0;
    long outOfCatalogue = drug.inBasicCatalogue() ? 0 : total;
    if (!drug.boughtAtPharmacy()) {
      return Bill.drug(drug.careType(), city.hospital(1), city.admdvs(), day, drug.name(), Optional.empty(), inScope,
          classBPrior, outOfCatalogue);
    }
    String pharmacy = city.pharmacy(1);
    String designated = Optional.ofNullable(liability.conditions().pharmacies()).map(p -> p.value().get(0)).orElse(pharmacy);
    return Bill.drug(drug.careType(), pharmacy, city.admdvs(), day, drug.name(), Optional.of(designated), inScope,
        classBPrior, outOfCatalogue);
  }

  private static Optional<Liability> liabilityFor(Product product, ListedDrug drug) {
    return product.liabilities().stream().filter(l -> l.covers(drug.careType()))
        .filter(l -> listed(l.conditions(), drug.name())).findFirst();
  }

  private static boolean listed(Conditions c, String drug) {
    return c.drugs() == null || c.listing(drug) != null;
  }
}
