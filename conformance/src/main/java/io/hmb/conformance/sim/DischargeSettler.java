package io.hmb.conformance.sim;

import io.hmb.api.v1.CoverageDecision;
import java.util.Optional;

/** Who settles a hospital's discharge: the bureau (one-stop through its settlement system) or the hospital itself. */
@FunctionalInterface
public interface DischargeSettler {
  /**
   * @param admission the coverage decision the hospital got at admission, when it asked
   */
  BillSettlement settle(Resident patient, Bill bill, Optional<CoverageDecision> admission);

  /** Settles through an in-process bureau simulator, as a hospital connected to the bureau's system does. */
  static DischargeSettler through(BureauSimulator bureau) {
    return (patient, bill, admission) -> bureau.settle(patient, bill);
  }
}
