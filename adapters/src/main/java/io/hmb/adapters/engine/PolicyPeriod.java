package io.hmb.adapters.engine;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * How a product's policy period is fixed. Dates are China Standard Time days; "2026-10-31 24:00" is
 * stored as the exclusive end day 2026-11-01 (2026-11-01T00:00+08:00).
 *
 * @param kind FIXED (start .. endExclusive), FROM_ENROLMENT (the policy's own start + months) or
 *     CALENDAR_YEAR (the calendar year of the claim)
 */
public record PolicyPeriod(Kind kind, LocalDate start, LocalDate endExclusive, Integer months) {
  public static final ZoneId CST = ZoneId.of("Asia/Shanghai");

  public enum Kind { FIXED, FROM_ENROLMENT, CALENDAR_YEAR }

  /** One concrete period, [start, endExclusive). */
  public record Span(LocalDate start, LocalDate endExclusive) {
    public boolean contains(LocalDate day) {
      return !day.isBefore(start) && day.isBefore(endExclusive);
    }

    public ZonedDateTime startInstant() {
      return start.atStartOfDay(CST);
    }

    public ZonedDateTime endInstantExclusive() {
      return endExclusive.atStartOfDay(CST);
    }
  }

  /**
   * The period a policy covers.
   *
   * @param policyStart the policy's own start day: needed for FROM_ENROLMENT; for FIXED, a late joiner's
   *     cover day (a veteran joining mid-year, a newborn covered from birth) moves the start later, a day
   *     before the period start (a purchase in the sales window) changes nothing; ignored for CALENDAR_YEAR
   * @param anyDay a day in the year asked about (used for CALENDAR_YEAR)
   */
  public Span spanFor(LocalDate policyStart, LocalDate anyDay) {
    return switch (kind) {
      case FIXED -> {
        if (policyStart == null || !policyStart.isAfter(start)) yield new Span(start, endExclusive);
        if (!policyStart.isBefore(endExclusive)) {
          throw new ClaimInputException(ClaimInputException.Reason.BAD_VALUE, "insured.policy_start",
              policyStart + " is not before the period's end " + endExclusive);
        }
        yield new Span(policyStart, endExclusive);
      }
      case FROM_ENROLMENT -> {
        if (policyStart == null) {
          throw new ClaimInputException(ClaimInputException.Reason.MISSING_FIELD, "insured.policy_start",
              "this product's period runs from each policy's own start day");
        }
        yield new Span(policyStart, policyStart.plusMonths(months));
      }
      case CALENDAR_YEAR -> {
        LocalDate first = LocalDate.of(anyDay.getYear(), 1, 1);
        yield new Span(first, first.plusYears(1));
      }
    };
  }
}
