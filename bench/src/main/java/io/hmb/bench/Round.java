package io.hmb.bench;

import java.util.List;

/**
 * One pass over every scenario (echo, both crypto ceilings, the gateway scenarios), with each step's
 * ratios taken against this round's own baseline and ceilings, so that machine drift between rounds
 * cancels out of the ratios.
 */
record Round(int round, double baselinePeakPerSecond, Ceilings ceilings, List<Step> steps) {

  /** The round's steps as measured, given their ratios to the round's own echo peak and ceilings. */
  static Round of(int round, List<Step> measured) {
    double baseline = Step.peak(measured, Scenarios.BASELINE).map(Step::throughput).orElse(0.0);
    Ceilings ceilings = Ceilings.of(measured);
    return new Round(round, baseline, ceilings, ceilings.applyTo(measured, baseline));
  }

  List<Step> stepsOf(String scenario) {
    return steps.stream().filter(s -> s.scenario().equals(scenario)).toList();
  }
}
