package io.hmb.adapters.engine;

/** Basic medical-insurance scheme ({@code hmb.v1.InsuranceScheme}). */
public enum Scheme {
  /** 职工基本医疗保险, insutype 310. */
  EMPLOYEE,
  /** 城乡居民基本医疗保险, insutype 390. */
  RESIDENT
}
