package io.hmb.adapters.engine;

import io.hmb.api.v1.ClaimResult;
import java.time.LocalDate;
import java.util.List;

/**
 * The immutable result of adjudicating one claim version: payout, per-liability breakdown, and the
 * exact effect on the year's accumulators, which a cancellation or correction takes back out unchanged.
 *
 * @param version 1 for a first decision; a correction is the next version of the claim it corrects
 * @param corrects id of the claim this version replaces, or null
 * @param denial why nothing is paid (null when something is paid)
 * @param effect what this adjudication added to the accumulators
 * @param trace the rules applied, in order, with their clauses
 */
public record Adjudication(String claimId, int version, String corrects, String productCode, LocalDate date,
    ClaimType type, long payoutFen, DenialReason denial, String denialDetail, List<LiabilityResult> liabilities,
    Accumulators effect, List<String> trace) {

  public Adjudication {
    liabilities = List.copyOf(liabilities);
    trace = List.copyOf(trace);
  }

  /** The first decision on {@code claim}: version 1, correcting nothing, with the claim's id, date and type. */
  public static Adjudication first(Claim claim, String productCode, long payoutFen, DenialReason denial,
      String denialDetail, List<LiabilityResult> liabilities, Accumulators effect, List<String> trace) {
    return new Adjudication(claim.id(), 1, null, productCode, claim.date(), claim.type(), payoutFen, denial, denialDetail,
        liabilities, effect, trace);
  }

  public Adjudication asVersion(int newVersion, String correctsId) {
    return new Adjudication(claimId, newVersion, correctsId, productCode, date, type, payoutFen, denial, denialDetail,
        liabilities, effect, trace);
  }

  /** COMPLETE when paid in full under the rules, PARTIAL when a cap or a liability's rule cut it, else DENIED. */
  public ClaimResult.Outcome outcome() {
    if (payoutFen == 0) return ClaimResult.Outcome.OUTCOME_DENIED;
    boolean cut = liabilities.stream().anyMatch(l -> l.capped() || (l.denial() != null && l.coveredFen() > 0));
    return cut ? ClaimResult.Outcome.OUTCOME_PARTIAL : ClaimResult.Outcome.OUTCOME_COMPLETE;
  }

  public long claimedFen() {
    return liabilities.stream().mapToLong(LiabilityResult::coveredFen).sum();
  }
}
