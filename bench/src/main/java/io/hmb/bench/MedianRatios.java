package io.hmb.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The median over the rounds of each step's figures, one row per scenario and concurrency (the paced
 * step is one row: its offered rate is 70% of each round's own peak). Each ratio's median is taken over
 * the rounds' ratios, each against its own round's ceiling, never a ratio of medians: a single run moves
 * by half on a shared machine, and the same-run ratio is what holds still. With an even number of rounds
 * the median is the mean of the middle two; a round where a figure was not measured does not count.
 */
final class MedianRatios {
  private MedianRatios() {}

  /**
   * One scenario at one concurrency over the rounds. {@code postgresCpuMsPerMessage}: milliseconds of
   * PostgreSQL CPU per completed operation (its cores over the step's throughput), null where not measured.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Row(String scenario, int concurrency, int rounds, Double offeredPerSecond, double throughput, double p99Ms,
      Double postgresCpuMsPerMessage, Double ratioToBaseline, Double ratioToCeiling, Double cpuEfficiencyToCeiling) {}

  static List<Row> of(List<Round> rounds) {
    Map<String, List<Step>> byStep = new LinkedHashMap<>();
    for (Round r : rounds) {
      for (Step s : r.steps()) {
        byStep.computeIfAbsent(s.scenario() + "@" + s.concurrency(), k -> new ArrayList<>()).add(s);
      }
    }
    return byStep.values().stream().map(MedianRatios::row).toList();
  }

  private static Row row(List<Step> same) {
    Step first = same.get(0);
    return new Row(first.scenario(), first.concurrency(), same.size(), median(same, Step::pacedPerSecond),
        orZero(median(same, Step::throughput)), orZero(median(same, Step::p99Ms)),
        median(same, MedianRatios::postgresCpuMsPerMessage), median(same, Step::ratioToBaseline),
        median(same, Step::ratioToCeiling), median(same, Step::cpuEfficiencyToCeiling));
  }

  /**
   * PostgreSQL CPU-milliseconds per operation: cores are CPU-seconds per second, so cores / (ops/s) s each; for
   * settlements, its CPU-seconds through the drain over those accepted ({@link Step.Settlement}).
   */
  static Double postgresCpuMsPerMessage(Step s) {
    Step.Settlement x = s.settlement();
    if (x != null && x.postgresCpuSecondsThroughDrain() >= 0 && x.accepted() > 0) {
      return x.postgresCpuSecondsThroughDrain() / x.accepted() * 1000;
    }
    return s.postgresCpuCores() < 0 || s.throughput() <= 0 ? null : s.postgresCpuCores() / s.throughput() * 1000;
  }

  static Double median(List<Step> steps, Function<Step, Double> figure) {
    return median(steps.stream().map(figure).filter(Objects::nonNull).toList());
  }

  /** The median of the values (mean of the middle two for an even count), rounded to 3 places; null if none. */
  static Double median(List<Double> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    double m = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return Step.round3(m);
  }

  private static double orZero(Double v) {
    return v == null ? 0 : v;
  }
}
