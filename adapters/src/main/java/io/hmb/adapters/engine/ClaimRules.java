package io.hmb.adapters.engine;

import java.util.List;

/**
 * Whole-claim rules, checked before any liability.
 *
 * @param requiresBasicSettlement costs not settled through basic insurance pay nothing
 * @param insuredMustBeInCity only people insured in the product's city are covered
 * @param insuredElsewhereTreatedInCityOnly people insured elsewhere are covered only for care in the city
 * @param suspendedWithBasicInsurance cover is suspended while basic insurance is
 * @param preexistingScope PERSON: the person's flag decides; CLAIM: the claim's own flag, else the person's
 * @param excludedCauses whole-claim exclusion causes (self-harm, ...)
 * @param excludedCausesClaimTypes the claim types the causes exclude (null: every type); Dalian lists them
 *     under 住院及日间病房责任 only
 */
public record ClaimRules(Cited<Boolean> requiresBasicSettlement, Cited<Boolean> insuredMustBeInCity,
    Cited<Boolean> insuredElsewhereTreatedInCityOnly, Cited<Boolean> suspendedWithBasicInsurance,
    Cited<PreexistingScope> preexistingScope, Cited<List<String>> excludedCauses,
    Cited<List<ClaimType>> excludedCausesClaimTypes) {

  /** Whether the excluded causes apply to a claim of {@code type}. */
  public boolean causesExclude(ClaimType type) {
    return excludedCausesClaimTypes == null || excludedCausesClaimTypes.value().contains(type);
  }

  public enum PreexistingScope { PERSON, CLAIM }
}
