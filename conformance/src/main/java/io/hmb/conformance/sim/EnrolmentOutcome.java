package io.hmb.conformance.sim;

import io.hmb.api.v1.DeductionReceipt;
import java.util.Optional;

/**
 * How an enrolment ended: ENROLLED (paid, registered with the bureau) or REFUSED with the reason (the
 * insurer's own rules, the bureau's status answer, or the bureau's deduction receipt).
 *
 * @param receipt the bureau's deduction receipt, when the premium came from a personal account
 * @param refusal why not, empty when enrolled (no personal data)
 */
public record EnrolmentOutcome(String policyNumber, Policy.State state, long premiumFen, Optional<DeductionReceipt> receipt,
    Optional<String> refusal) {

  public boolean enrolled() {
    return state == Policy.State.ENROLLED;
  }
}
