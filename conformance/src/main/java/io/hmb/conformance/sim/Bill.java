package io.hmb.conformance.sim;

import io.hmb.adapters.engine.ClaimType;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A bill before basic settlement, in fen: a hospital stay at discharge, or a listed drug bought at a
 * pharmacy or given at a hospital (special drug, high-cost or special-effect drug). The parts are
 * disjoint: total = in-scope (合规, inscp_scp_amt) + class-B prior self-pay (乙类先行自付) + out-of-catalogue
 * (丙类 全额自费) + over-limit self-pay (超限价).
 *
 * @param careType what the bill is for; the bureau states it with the settlement data
 * @param institutionCode the treating hospital or the dispensing pharmacy (fixmedins_code; the simulators use
 *     participant-style codes)
 * @param treatmentAdmdvs where the care happened
 * @param admissionDate the first day of a stay; for a drug, the day it was bought
 * @param settlementDate the discharge or purchase day
 * @param outOfAreaFiled an out-of-area stay was filed with the bureau (异地就医备案)
 * @param drug for a drug bill, the drug as the product lists it
 * @param pharmacy for a drug bought at a pharmacy, the pharmacy as the settlement data names it (pharmacy_code):
 *     the product's designation where it designates pharmacies by name (Dalian), else the pharmacy's code
 */
public record Bill(ClaimType careType, String institutionCode, String treatmentAdmdvs, LocalDate admissionDate,
    LocalDate settlementDate, long inScopeFen, long classBPriorSelfpayFen, long outOfCatalogueFen, long overLimitFen,
    boolean outOfAreaFiled, Optional<String> drug, Optional<String> pharmacy) {

  /** Platform clearing types (clr_type). */
  static final String OUTPATIENT = "11";
  static final String INPATIENT = "21";
  static final String PHARMACY = "41";

  public Bill {
    Objects.requireNonNull(careType, "careType");
    Objects.requireNonNull(institutionCode, "institutionCode");
    Objects.requireNonNull(treatmentAdmdvs, "treatmentAdmdvs");
    Objects.requireNonNull(admissionDate, "admissionDate");
    Objects.requireNonNull(settlementDate, "settlementDate");
    Objects.requireNonNull(drug, "drug");
    Objects.requireNonNull(pharmacy, "pharmacy");
    if (inScopeFen < 0 || classBPriorSelfpayFen < 0 || outOfCatalogueFen < 0 || overLimitFen < 0) {
      throw new IllegalArgumentException("bill amounts must not be negative");
    }
    if (settlementDate.isBefore(admissionDate)) {
      throw new IllegalArgumentException("discharge before admission");
    }
    if (pharmacy.isPresent() && drug.isEmpty()) {
      throw new IllegalArgumentException("a pharmacy bill names its drug");
    }
  }

  /** A stay in the hospital's own city, no over-limit items. */
  public static Bill inpatient(String hospitalCode, String city, LocalDate admission, LocalDate discharge, long inScopeFen,
      long classBPriorSelfpayFen, long outOfCatalogueFen) {
    return new Bill(ClaimType.INPATIENT, hospitalCode, city, admission, discharge, inScopeFen, classBPriorSelfpayFen,
        outOfCatalogueFen, 0, false, Optional.empty(), Optional.empty());
  }

  /**
   * A listed drug bought or given on {@code day} in {@code city}: bought at the pharmacy {@code institutionCode}
   * ({@code pharmacy} present), or given at the hospital {@code institutionCode} ({@code pharmacy} empty).
   */
  public static Bill drug(ClaimType careType, String institutionCode, String city, LocalDate day, String drug,
      Optional<String> pharmacy, long inScopeFen, long classBPriorSelfpayFen, long outOfCatalogueFen) {
    if (isStay(careType)) {
      throw new IllegalArgumentException(careType + " is a stay, not a drug");
    }
    return new Bill(careType, institutionCode, city, day, day, inScopeFen, classBPriorSelfpayFen, outOfCatalogueFen, 0,
        false, Optional.of(drug), pharmacy);
  }

  public long totalFen() {
    return inScopeFen + classBPriorSelfpayFen + outOfCatalogueFen + overLimitFen;
  }

  /** A hospital stay (inpatient or day ward), as opposed to a drug. */
  public boolean stay() {
    return isStay(careType);
  }

  /** The platform's clr_type: 21 a stay, 41 a pharmacy purchase, 11 a drug given at a hospital's clinic. */
  String clearingType() {
    return stay() ? INPATIENT : pharmacy.isPresent() ? PHARMACY : OUTPATIENT;
  }

  private static boolean isStay(ClaimType type) {
    return type == ClaimType.INPATIENT || type == ClaimType.DAY_WARD;
  }
}
