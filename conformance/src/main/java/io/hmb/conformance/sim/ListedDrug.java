package io.hmb.conformance.sim;

import io.hmb.adapters.engine.ClaimType;
import java.util.Objects;

/**
 * A drug on a product's special-drug list as the simulation dispenses it.
 *
 * @param name the drug as the product file lists it (Dalian lists generic names) or, where the seed gives no
 *     list, an example
 * @param careType the kind of claim a purchase of it makes: SPECIAL_DRUG, HIGH_COST_DRUG or SPECIAL_EFFECT_DRUG
 * @param treats the condition it is prescribed for; a patient who buys it has this condition
 * @param purchaseFen what one purchase (about a month of treatment) costs, fen; illustrative, not a list price
 * @param inBasicCatalogue a class-B drug of the basic-insurance catalogue (the pool pays part of it) rather than
 *     one the person pays in full
 */
public record ListedDrug(String name, ClaimType careType, String treats, long purchaseFen, boolean inBasicCatalogue) {

  public ListedDrug {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(careType, "careType");
    Objects.requireNonNull(treats, "treats");
    if (purchaseFen <= 0) {
      throw new IllegalArgumentException("a purchase costs something");
    }
  }

  /**
   * Where it is handed over: special-effect drugs are given at a designated medical institution (004 三(三)4
   * 在定点医疗机构治疗), the others are bought at a pharmacy (000 【责任二】 指定的药房; 004 三(三)3 购买).
   */
  public boolean boughtAtPharmacy() {
    return careType != ClaimType.SPECIAL_EFFECT_DRUG;
  }
}
