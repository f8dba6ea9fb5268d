package io.hmb.bench;

import java.util.List;

/**
 * The crypto ceilings of one round, each its scenario's best step (the most threads are not always the
 * fastest on a shared machine), and which gateway scenario each is held to: coverage checks (closed loop
 * and paced) to the coverage check's, settlements to the settlement's. The echo baseline has no ceiling.
 */
record Ceilings(Ceiling coverageCheck, Ceiling settlement) {

  /** One ceiling: ops per second and ops per CPU-second of its best step; 0 when not measured. */
  record Ceiling(double perSecond, double perCpuSecond) {
    static final Ceiling NONE = new Ceiling(0, 0);

    static Ceiling peakOf(List<Step> steps, String scenario) {
      return Step.peak(steps, scenario).map(s -> new Ceiling(s.throughput(), s.opsPerCpuSecond())).orElse(NONE);
    }
  }

  static Ceilings of(List<Step> steps) {
    return new Ceilings(Ceiling.peakOf(steps, Scenarios.COVERAGE_CEILING),
        Ceiling.peakOf(steps, Scenarios.SETTLEMENT_CEILING));
  }

  /** The ceiling a step of {@code scenario} is held to (a ceiling's steps to their own), or none. */
  Ceiling forScenario(String scenario) {
    return switch (scenario) {
      case Scenarios.COVERAGE, Scenarios.COVERAGE_PACED, Scenarios.COVERAGE_CEILING -> coverageCheck;
      case Scenarios.SETTLEMENT, Scenarios.SETTLEMENT_CEILING -> settlement;
      default -> Ceiling.NONE;
    };
  }

  /** Each step with its ratios to the echo peak and to its own ceiling. */
  List<Step> applyTo(List<Step> steps, double baselinePeak) {
    return steps.stream().map(s -> {
      Ceiling c = forScenario(s.scenario());
      return s.withRatios(baselinePeak, c.perSecond(), c.perCpuSecond());
    }).toList();
  }
}
