package io.hmb.conformance.sim;

import java.time.LocalDate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The simulated business day (China Standard Time) the simulators act on: enrolment, deductions,
 * reversals, coverage and reconciliation are judged on it. It is separate from the wall clock on
 * purpose: envelopes carry real UTC instants (the gateway checks freshness), while the products'
 * sales windows and policy years lie in the past or the future. Thread-safe; share one instance
 * between the simulators of one scenario so they agree on "today".
 */
public final class BusinessDay {
  private final AtomicReference<LocalDate> today;

  public BusinessDay(LocalDate start) {
    this.today = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  public LocalDate today() {
    return today.get();
  }

  /** Moves the simulation to another day (backwards too: scenarios replay a year). */
  public void set(LocalDate day) {
    today.set(Objects.requireNonNull(day, "day"));
  }

  @Override
  public String toString() {
    return "BusinessDay{" + today.get() + "}";
  }
}
