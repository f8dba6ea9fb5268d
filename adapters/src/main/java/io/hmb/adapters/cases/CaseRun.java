package io.hmb.adapters.cases;

import io.hmb.adapters.engine.PolicyYearLedger;
import java.util.List;

/**
 * The outcome of running one case.
 *
 * @param mismatches "expected X, actual Y" lines; empty when the case passed
 * @param ledger the person-year after the last step (null when the input was refused)
 * @param trace the rule trace of every step, for failure reports
 */
public record CaseRun(BenefitCase benefitCase, List<String> mismatches, PolicyYearLedger ledger, List<String> trace) {
  public boolean passed() {
    return mismatches.isEmpty();
  }
}
