package io.hmb.adapters.engine;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One person's claims under one product year, in the order they were decided. Append-only, in the
 * manner of TigerBeetle's correcting transfers: a cancellation adds a {@link Reversal} that takes the
 * claim's own effect back out; a correction is a reversal plus a new version adjudicated on the
 * accumulators after the reversal. Claims decided after the reversed one are not re-decided.
 *
 * <p>Not thread-safe: one ledger belongs to one person-year, which the caller serialises.
 */
public final class PolicyYearLedger {
  /** One row of the ledger. */
  public sealed interface Entry permits Applied, Reversal {}

  public record Applied(Adjudication adjudication) implements Entry {}

  /** Takes {@code effect} (the reversed adjudication's own effect) back out of the accumulators. */
  public record Reversal(String claimId, int version, long payoutFen, Accumulators effect, String reason) implements Entry {}

  /** What is left on one liability: deductible still to meet (shared groups repeat) and room under the cap. */
  public record Room(String liability, long deductibleRemainingFen, long capRemainingFen) {}

  private final BenefitEngine engine;
  private final ProductTerms terms;
  private final Insured insured;
  private final PolicyPeriod.Span span;
  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, Adjudication> live = new LinkedHashMap<>();
  private Accumulators accumulators = Accumulators.EMPTY;

  public PolicyYearLedger(BenefitEngine engine, ProductTerms terms, Insured insured, PolicyPeriod.Span span) {
    this.engine = engine;
    this.terms = terms;
    this.insured = insured;
    this.span = span;
  }

  /** The ledger for the policy year that holds {@code dayInYear} (used by calendar-year products). */
  public static PolicyYearLedger open(ProductTerms terms, Insured insured, LocalDate dayInYear) {
    return new PolicyYearLedger(new BenefitEngine(), terms, insured,
        terms.product().period().value().spanFor(insured.policyStart(), dayInYear));
  }

  /** Decides a new claim and applies its effect. A claim id may be live only once. */
  public Adjudication submit(Claim claim) {
    if (live.containsKey(claim.id())) {
      throw new IllegalStateException("claim " + claim.id() + " is already applied; cancel or correct it");
    }
    Adjudication a = engine.adjudicate(terms, insured, span, claim, accumulators);
    apply(a);
    return a;
  }

  /** Reverses the live version of a claim exactly; nothing else changes. */
  public Reversal cancel(String claimId, String reason) {
    Adjudication a = live.remove(claimId);
    if (a == null) throw new IllegalStateException("claim " + claimId + " is not live; nothing to reverse");
    Reversal r = new Reversal(claimId, a.version(), a.payoutFen(), a.effect(), reason);
    accumulators = accumulators.minus(a.effect());
    entries.add(r);
    return r;
  }

  /**
   * Replaces a live claim by a corrected version: reverses the old version's effect, then decides the
   * corrected claim (which may carry a new id) as the next version.
   */
  public Adjudication correct(String claimId, Claim corrected) {
    Adjudication old = live.get(claimId);
    if (old == null) throw new IllegalStateException("claim " + claimId + " is not live; nothing to correct");
    cancel(claimId, "corrected by " + corrected.id());
    Adjudication a = engine.adjudicate(terms, insured, span, corrected, accumulators).asVersion(old.version() + 1, claimId);
    apply(a);
    return a;
  }

  private void apply(Adjudication a) {
    accumulators = accumulators.plus(a.effect());
    live.put(a.claimId(), a);
    entries.add(new Applied(a));
  }

  public Accumulators accumulators() {
    return accumulators;
  }

  public List<Entry> entries() {
    return Collections.unmodifiableList(entries);
  }

  public long totalPaidFen() {
    return accumulators.totalPaid();
  }

  public PolicyPeriod.Span span() {
    return span;
  }

  public ProductTerms terms() {
    return terms;
  }

  /** What is left per liability, for coverage answers ({@code hmb.v1.LiabilityRoom}). */
  public List<Room> room() {
    List<Room> out = new ArrayList<>();
    for (Liability l : terms.product().liabilities()) {
      long dedLeft = l.deductibleGroup() == null ? 0
          : Math.max(0, terms.deductibleFen(l.deductibleGroup(), insured.assistance()) - accumulators.deductibleUsed(l.deductibleGroup()));
      Long cap = l.annualCapFen().value();
      long capLeft = cap == null ? Long.MAX_VALUE : Math.max(0, cap - accumulators.paid(l.code()));
      out.add(new Room(l.code(), dedLeft, capLeft));
    }
    return out;
  }
}
