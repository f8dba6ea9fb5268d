package io.hmb.adapters.enrolment;

import java.time.LocalDate;

/**
 * The answer of an enrolment rule: allowed or the reason not, the clause, and when allowed the cover
 * period [coverageStart, coverageEndExclusive) and the premium in fen.
 */
public record Decision(boolean allowed, EnrolmentReason reason, String detail, String clause, LocalDate coverageStart,
    LocalDate coverageEndExclusive, long premiumFen) {

  static Decision refuse(EnrolmentReason reason, String detail, String clause) {
    return new Decision(false, reason, detail, clause, null, null, 0);
  }

  static Decision allow(String detail, String clause, LocalDate start, LocalDate endExclusive, long premiumFen) {
    return new Decision(true, EnrolmentReason.OK, detail, clause, start, endExclusive, premiumFen);
  }
}
