package io.hmb.adapters.engine;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The insured person as the benefit rules see them.
 *
 * @param insuredCity six-digit admdvs of the city where the person holds basic insurance
 * @param policyStart the policy's own start day; only products whose period runs from enrolment need it
 * @param suspensions periods in which basic insurance (and so, where the product says so, this product)
 *     was suspended
 */
public record Insured(LocalDate birthDate, String insuredCity, Scheme scheme, boolean preexisting,
    Assistance assistance, LocalDate policyStart, List<Suspension> suspensions) {

  /** Basic insurance suspended from {@code from} (inclusive) to {@code toExclusive} (null: still suspended). */
  public record Suspension(LocalDate from, LocalDate toExclusive) {
    public boolean covers(LocalDate day) {
      return !day.isBefore(from) && (toExclusive == null || day.isBefore(toExclusive));
    }
  }

  public Insured {
    Objects.requireNonNull(birthDate, "birthDate");
    Objects.requireNonNull(insuredCity, "insuredCity");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(assistance, "assistance");
    if (!io.hmb.api.Admdvs.isWellFormed(insuredCity)) {
      throw new ClaimInputException(ClaimInputException.Reason.UNKNOWN_CODE, "insured.insured_city",
          "must be a six-digit admdvs, was \"" + insuredCity + "\"");
    }
    suspensions = suspensions == null ? List.of() : List.copyOf(suspensions);
  }

  public boolean suspendedOn(LocalDate day) {
    for (Suspension s : suspensions) if (s.covers(day)) return true;
    return false;
  }

  /** Age in full years (周岁) on {@code day}. */
  public int ageOn(LocalDate day) {
    return java.time.Period.between(birthDate, day).getYears();
  }
}
