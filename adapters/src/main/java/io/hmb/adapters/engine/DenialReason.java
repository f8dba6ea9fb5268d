package io.hmb.adapters.engine;

import io.hmb.api.v1.ClaimResult;

/**
 * Why a claim or a liability pays nothing. Each maps to the contract's {@code ClaimResult.DenialReason};
 * the finer names here stay in the trace and the detail text.
 */
public enum DenialReason {
  OUTSIDE_POLICY_PERIOD(ClaimResult.DenialReason.DENIAL_REASON_OUTSIDE_POLICY_PERIOD),
  BASIC_INSURANCE_SUSPENDED(ClaimResult.DenialReason.DENIAL_REASON_NOT_COVERED),
  NOT_INSURED_IN_CITY(ClaimResult.DenialReason.DENIAL_REASON_NOT_COVERED),
  NOT_SETTLED_BY_BASIC_INSURANCE(ClaimResult.DenialReason.DENIAL_REASON_NOT_SETTLED_BY_BASIC_INSURANCE),
  OUT_OF_AREA_NOT_ELIGIBLE(ClaimResult.DenialReason.DENIAL_REASON_OUT_OF_AREA_NOT_ELIGIBLE),
  EXCLUDED_CAUSE(ClaimResult.DenialReason.DENIAL_REASON_EXCLUDED_ITEM),
  NOT_COVERED(ClaimResult.DenialReason.DENIAL_REASON_NOT_COVERED),
  SCHEME_NOT_COVERED(ClaimResult.DenialReason.DENIAL_REASON_NOT_COVERED),
  AGE_LIMIT(ClaimResult.DenialReason.DENIAL_REASON_AGE_LIMIT),
  DRUG_NOT_LISTED(ClaimResult.DenialReason.DENIAL_REASON_DRUG_NOT_LISTED),
  /** The listed drug, but the claim shows another brand (商品名) or manufacturer than the list's. */
  DRUG_BRAND_MISMATCH(ClaimResult.DenialReason.DENIAL_REASON_DRUG_NOT_LISTED),
  PHARMACY_NOT_DESIGNATED(ClaimResult.DenialReason.DENIAL_REASON_PHARMACY_NOT_DESIGNATED),
  PRESCRIPTION_NOT_QUALIFIED(ClaimResult.DenialReason.DENIAL_REASON_NOT_COVERED),
  INSTITUTION_NOT_DESIGNATED(ClaimResult.DenialReason.DENIAL_REASON_NOT_COVERED),
  HOSPITAL_GRADE_TOO_LOW(ClaimResult.DenialReason.DENIAL_REASON_NOT_COVERED),
  TREATED_OUTSIDE_CITY(ClaimResult.DenialReason.DENIAL_REASON_OUT_OF_AREA_NOT_ELIGIBLE),
  /** The claim has nothing in the buckets the liabilities cover (e.g. only excluded items). */
  NOTHING_COVERED(ClaimResult.DenialReason.DENIAL_REASON_EXCLUDED_ITEM),
  UNDER_DEDUCTIBLE(ClaimResult.DenialReason.DENIAL_REASON_UNDER_DEDUCTIBLE),
  CAP_REACHED(ClaimResult.DenialReason.DENIAL_REASON_CAP_REACHED);

  private final ClaimResult.DenialReason wire;

  DenialReason(ClaimResult.DenialReason wire) {
    this.wire = wire;
  }

  public ClaimResult.DenialReason toProto() {
    return wire;
  }
}
