package io.hmb.adapters.cases;

import io.hmb.adapters.engine.Insured;
import java.util.List;
import java.util.Map;

/**
 * One hand-checked case file from {@code conformance/cases/benefit/}: a person, claims in order (with
 * cancellations and corrections), and the expected figures.
 *
 * @param why the hand arithmetic behind the expectations
 * @param expectYear optional totals after the last step
 * @param expectError optional: the case is about input the engine must refuse
 */
public record BenefitCase(String file, String name, List<String> cites, String why, String product,
    Map<String, Long> params, Insured insured, List<Step> steps, List<Expectation> expect, YearExpectation expectYear,
    ErrorExpectation expectError) {

  /** A claim to decide (a new claim, or a correction of a live one), or a cancellation. */
  public sealed interface Step permits ClaimStep, CancelStep {}

  /** @param corrects the claim id this new version replaces, or null */
  public record ClaimStep(RawClaim claim, String corrects) implements Step {}

  public record CancelStep(String claimId) implements Step {}

  /** @param perLiabilityFen null when not checked; @param denialReason null when not checked */
  public record Expectation(String claim, long payoutFen, Map<String, Long> perLiabilityFen, String denialReason) {}

  /** Each field null when not checked. */
  public record YearExpectation(Long totalPayoutFen, Map<String, Long> paidFen, Map<String, Long> deductibleUsedFen,
      Map<String, Long> bandAmountFen) {}

  public record ErrorExpectation(String reason, String field) {}
}
