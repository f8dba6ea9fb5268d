package io.hmb.conformance.sim;

import java.time.LocalDate;
import java.util.Objects;

/**
 * An inpatient bill at discharge, before basic settlement, in fen. The parts are disjoint:
 * total = in-scope (合规, inscp_scp_amt) + class-B prior self-pay (乙类先行自付) + out-of-catalogue (丙类
 * 全额自费) + over-limit self-pay (超限价).
 *
 * @param hospitalCode the treating hospital (fixmedins_code; the simulators use participant codes)
 * @param treatmentAdmdvs where the care happened
 * @param outOfAreaFiled an out-of-area stay was filed with the bureau (异地就医备案)
 */
public record Bill(String hospitalCode, String treatmentAdmdvs, LocalDate admissionDate, LocalDate dischargeDate,
    long inScopeFen, long classBPriorSelfpayFen, long outOfCatalogueFen, long overLimitFen, boolean outOfAreaFiled) {

  public Bill {
    Objects.requireNonNull(hospitalCode, "hospitalCode");
    Objects.requireNonNull(treatmentAdmdvs, "treatmentAdmdvs");
    Objects.requireNonNull(admissionDate, "admissionDate");
    Objects.requireNonNull(dischargeDate, "dischargeDate");
    if (inScopeFen < 0 || classBPriorSelfpayFen < 0 || outOfCatalogueFen < 0 || overLimitFen < 0) {
      throw new IllegalArgumentException("bill amounts must not be negative");
    }
    if (dischargeDate.isBefore(admissionDate)) {
      throw new IllegalArgumentException("discharge before admission");
    }
  }

  /** A stay in the hospital's own city, no over-limit items. */
  public static Bill inpatient(String hospitalCode, String city, LocalDate admission, LocalDate discharge, long inScopeFen,
      long classBPriorSelfpayFen, long outOfCatalogueFen) {
    return new Bill(hospitalCode, city, admission, discharge, inScopeFen, classBPriorSelfpayFen, outOfCatalogueFen, 0, false);
  }

  public long totalFen() {
    return inScopeFen + classBPriorSelfpayFen + outOfCatalogueFen + overLimitFen;
  }
}
