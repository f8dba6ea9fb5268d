package io.hmb.adapters.cases;

import io.hmb.adapters.engine.Accumulators;
import io.hmb.adapters.engine.Adjudication;
import io.hmb.adapters.engine.ClaimInputException;
import io.hmb.adapters.engine.LiabilityResult;
import io.hmb.adapters.engine.Money;
import io.hmb.adapters.engine.PolicyYearLedger;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.ProductTerms;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Runs a case through the engine and compares every expected figure. */
public final class CaseRunner {
  private final ProductCatalog catalog;

  public CaseRunner(ProductCatalog catalog) {
    this.catalog = catalog;
  }

  public CaseRun run(BenefitCase c) {
    List<String> mismatches = new ArrayList<>();
    List<String> trace = new ArrayList<>();
    Map<String, Adjudication> decided = new HashMap<>();
    PolicyYearLedger ledger = null;
    try {
      ProductTerms terms = ProductTerms.of(catalog.get(c.product()), c.params());
      var firstClaim = c.steps().stream().filter(s -> s instanceof BenefitCase.ClaimStep).findFirst();
      var dayInYear = firstClaim.map(s -> ((BenefitCase.ClaimStep) s).claim().date())
          .orElse(terms.product().period().value().start());
      ledger = PolicyYearLedger.open(terms, c.insured(), dayInYear);
      for (BenefitCase.Step step : c.steps()) {
        if (step instanceof BenefitCase.CancelStep cancel) {
          var r = ledger.cancel(cancel.claimId(), "cancelled by case");
          trace.add("cancel " + r.claimId() + " v" + r.version() + ": reversed " + Money.yuan(r.payoutFen()) + " yuan");
        } else if (step instanceof BenefitCase.ClaimStep cs) {
          var claim = cs.claim().toClaim();
          Adjudication a = cs.corrects() == null ? ledger.submit(claim) : ledger.correct(cs.corrects(), claim);
          decided.put(a.claimId(), a);
          trace.add("claim " + a.claimId() + " v" + a.version() + ":");
          a.trace().forEach(t -> trace.add("  " + t));
        }
      }
      if (c.expectError() != null) {
        mismatches.add("expected input error " + c.expectError().reason() + " on " + c.expectError().field() + ", actual none");
      }
    } catch (ClaimInputException e) {
      trace.add("input refused: " + e.getMessage());
      if (c.expectError() == null) {
        mismatches.add("unexpected input error " + e.reason() + " on " + e.field() + ": " + e.getMessage());
      } else if (!c.expectError().reason().equals(e.reason().name()) || !c.expectError().field().equals(e.field())) {
        mismatches.add("expected input error " + c.expectError().reason() + " on " + c.expectError().field() + ", actual "
            + e.reason() + " on " + e.field());
      }
      return new CaseRun(c, mismatches, null, trace);
    } catch (IllegalArgumentException | IllegalStateException e) {
      mismatches.add("case cannot run: " + e.getMessage());
      return new CaseRun(c, mismatches, ledger, trace);
    }

    for (BenefitCase.Expectation x : c.expect()) {
      Adjudication a = decided.get(x.claim());
      if (a == null) {
        mismatches.add("claim " + x.claim() + ": expected a decision, none made");
        continue;
      }
      if (a.payoutFen() != x.payoutFen()) {
        mismatches.add("claim " + x.claim() + " payout: expected " + x.payoutFen() + " fen, actual " + a.payoutFen() + " fen");
      }
      if (x.perLiabilityFen() != null) {
        Map<String, Long> actual = new TreeMap<>();
        for (LiabilityResult l : a.liabilities()) actual.put(l.liability(), l.payoutFen());
        Map<String, Long> expected = new TreeMap<>(x.perLiabilityFen());
        for (String k : expected.keySet()) {
          if (!actual.containsKey(k)) {
            mismatches.add("claim " + x.claim() + " liability " + k + ": expected " + expected.get(k) + " fen, actual not applied");
          } else if (!actual.get(k).equals(expected.get(k))) {
            mismatches.add("claim " + x.claim() + " liability " + k + ": expected " + expected.get(k) + " fen, actual " + actual.get(k) + " fen");
          }
        }
        for (String k : actual.keySet()) {
          if (!expected.containsKey(k) && actual.get(k) != 0) {
            mismatches.add("claim " + x.claim() + " liability " + k + ": expected nothing, actual " + actual.get(k) + " fen");
          }
        }
      }
      String denial = a.denial() == null ? null : a.denial().name();
      if (x.denialReason() != null && !x.denialReason().equals(denial)) {
        mismatches.add("claim " + x.claim() + " denial: expected " + x.denialReason() + ", actual " + denial);
      }
      if (x.denialReason() == null && denial != null && x.payoutFen() > 0) {
        mismatches.add("claim " + x.claim() + " denial: expected none, actual " + denial);
      }
    }
    if (c.expectYear() != null) {
      var y = c.expectYear();
      Accumulators acc = ledger.accumulators();
      if (y.totalPayoutFen() != null && y.totalPayoutFen() != acc.totalPaid()) {
        mismatches.add("year total payout: expected " + y.totalPayoutFen() + " fen, actual " + acc.totalPaid() + " fen");
      }
      compare("year paid", y.paidFen(), acc.paidFen(), mismatches);
      compare("year deductible used", y.deductibleUsedFen(), acc.deductibleUsedFen(), mismatches);
      compare("year band amount", y.bandAmountFen(), acc.bandAmountFen(), mismatches);
    }
    return new CaseRun(c, mismatches, ledger, trace);
  }

  private static void compare(String what, Map<String, Long> expected, Map<String, Long> actual, List<String> out) {
    if (expected == null) return;
    expected.forEach((k, v) -> {
      long a = actual.getOrDefault(k, 0L);
      if (a != v) out.add(what + " " + k + ": expected " + v + " fen, actual " + a + " fen");
    });
  }
}
