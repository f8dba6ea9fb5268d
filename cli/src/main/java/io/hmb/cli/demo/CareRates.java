package io.hmb.cli.demo;

/**
 * How often the demo's policy holders need care during the year. Both rates are far above a real
 * year's: a demo of a few dozen households must show every flow, not what a year costs, so each city
 * plays at least one stay and at least one special-drug patient per drug liability whatever the rates.
 *
 * <p>Both are at least 1; {@link DemoCommand} refuses less with an error naming its options.
 *
 * @param stayEvery one policy in this many has a hospital stay
 * @param drugPatientEvery one policy in this many is a patient buying special drugs every month
 */
record CareRates(int stayEvery, int drugPatientEvery) {
  /** Several stays per city at the default 30 households, so one-stop and offline claims both show a spread. */
  static final int DEFAULT_STAY_EVERY = 6;
  /** Special-drug patients are rarer than stays; at 30 households this gives one or two per city. */
  static final int DEFAULT_DRUG_PATIENT_EVERY = 50;
}
