package io.hmb.adapters.engine;

/** The kind of care a claim is for; the same names as {@code hmb.v1.CareType} without the prefix. */
public enum ClaimType {
  INPATIENT, DAY_WARD, SPECIAL_DRUG, PKU_FOOD, HEAVY_ION, HIGH_COST_DRUG, SPECIAL_EFFECT_DRUG, OUTPATIENT
}
