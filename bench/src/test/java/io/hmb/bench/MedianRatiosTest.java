package io.hmb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic of the rounds on fixed steps, no timing: each step's ratio is taken against its own
 * round's own ceiling (coverage checks against the coverage check's, settlements against the settlement's),
 * the final table holds the median of those ratios (not a ratio of medians), and the aims read it.
 */
class MedianRatiosTest {
  private static final double ECHO = 10_000;

  /**
   * Three rounds whose ceilings drift. Per round: coverage ceiling, coverage peak (c=4), settlement
   * ceiling, settlement peak (c=4), as ops/s and ops per CPU-second; PostgreSQL cores; paced p99.
   */
  private static List<Round> threeRounds() {
    return List.of(
        round(1, 1000, 500, 400, 450, 0.08, 2000, 1000, 600, 700, 0.30, 15),
        round(2, 500, 250, 300, 205, 0.09, 1000, 500, 700, 350, 0.21, 25),
        round(3, 800, 400, 560, 280, 0.112, 1500, 600, 750, 300, 0.225, 18));
  }

  @Test
  void eachStepIsHeldToItsOwnRoundsOwnCeiling() {
    Round first = threeRounds().get(0);

    assertThat(first.ceilings().coverageCheck()).isEqualTo(new Ceilings.Ceiling(1000, 500));
    assertThat(first.ceilings().settlement()).isEqualTo(new Ceilings.Ceiling(2000, 1000));
    Step coverage = only(first, Scenarios.COVERAGE, 4);
    assertThat(coverage.ratioToCeiling()).isEqualTo(0.4);
    assertThat(coverage.cpuEfficiencyToCeiling()).isEqualTo(0.9);
    assertThat(coverage.ratioToBaseline()).isEqualTo(0.04);
    Step settlement = only(first, Scenarios.SETTLEMENT, 4);
    assertThat(settlement.ratioToCeiling()).isEqualTo(0.3);
    assertThat(settlement.cpuEfficiencyToCeiling()).isEqualTo(0.7);
    assertThat(only(first, Scenarios.COVERAGE_PACED, 64).ratioToCeiling()).isEqualTo(0.28);
    assertThat(only(first, Scenarios.SETTLEMENT_CEILING, 2).ratioToCeiling()).isEqualTo(1.0);
    assertThat(only(first, Scenarios.BASELINE, 4).ratioToCeiling()).isNull();
  }

  @Test
  void theTableHoldsTheMedianOfEachRatioNotTheRatioOfMedians() {
    Map<String, MedianRatios.Row> rows = byStep(MedianRatios.of(threeRounds()));

    MedianRatios.Row coverage = rows.get(Scenarios.COVERAGE + "@4");
    assertThat(coverage.rounds()).isEqualTo(3);
    assertThat(coverage.ratioToCeiling()).isEqualTo(0.6); // 0.4, 0.6, 0.7; medians' ratio would be 400/800
    assertThat(coverage.cpuEfficiencyToCeiling()).isEqualTo(0.82); // 0.9, 0.82, 0.7; medians' ratio 280/400
    assertThat(coverage.throughput()).isEqualTo(400);
    assertThat(coverage.postgresCpuMsPerMessage()).isEqualTo(0.2); // 0.2, 0.3, 0.2 ms
    MedianRatios.Row settlement = rows.get(Scenarios.SETTLEMENT + "@4");
    assertThat(settlement.ratioToCeiling()).isEqualTo(0.5); // 0.3, 0.7, 0.5
    assertThat(settlement.cpuEfficiencyToCeiling()).isEqualTo(0.7); // 0.7, 0.7, 0.5
    assertThat(settlement.postgresCpuMsPerMessage()).isEqualTo(0.3); // 0.5, 0.3, 0.3 ms
    MedianRatios.Row paced = rows.get(Scenarios.COVERAGE_PACED + "@64");
    assertThat(paced.p99Ms()).isEqualTo(18);
    assertThat(paced.offeredPerSecond()).isEqualTo(280);
    assertThat(rows.get(Scenarios.SETTLEMENT_CEILING + "@2").throughput()).isEqualTo(1500);
    assertThat(rows.get(Scenarios.BASELINE + "@4").ratioToCeiling()).isNull();
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndMissingFiguresDoNotCount() {
    assertThat(MedianRatios.median(List.of(0.9, 0.1, 0.5))).isEqualTo(0.5);
    assertThat(MedianRatios.median(List.of(0.3, 0.1, 0.9, 0.5))).isEqualTo(0.4);
    assertThat(MedianRatios.median(List.of())).isNull();
    Step measured = step(Scenarios.COVERAGE, 4, 100, 100, 0.1, 1);
    Step unmeasured = step(Scenarios.COVERAGE, 4, 100, 100, -1, 1);
    assertThat(MedianRatios.median(List.of(measured, unmeasured, measured), MedianRatios::postgresCpuMsPerMessage))
        .isEqualTo(1.0);
    assertThat(MedianRatios.postgresCpuMsPerMessage(unmeasured)).isNull();
  }

  @Test
  void theAimsAreJudgedOnTheMediansAtEachScenariosPeak() {
    List<Round> rounds = threeRounds();
    List<Aim> aims = Aim.judge(MedianRatios.of(rounds), rounds, null);

    assertThat(aims).hasSize(7);
    assertThat(aim(aims, "coverage checks >=").met()).isTrue();
    assertThat(aim(aims, "coverage checks >=").measured()).contains("0.820").contains("at 4 callers");
    assertThat(aim(aims, "settlements >=").met()).isFalse();
    assertThat(aim(aims, "settlements >=").measured()).contains("0.700");
    assertThat(aim(aims, "coverage p99 < 20 ms").met()).isTrue();
    assertThat(aim(aims, "coverage p99 < 20 ms").measured()).contains("p99 18.0 ms");
    assertThat(aim(aims, "PostgreSQL CPU per coverage").met()).isTrue();
    assertThat(aim(aims, "PostgreSQL CPU per coverage").measured()).contains("0.200 ms");
    assertThat(aim(aims, "PostgreSQL CPU per settlement").met()).isFalse();
    assertThat(aim(aims, "PostgreSQL CPU per settlement").measured()).contains("0.300 ms");
    assertThat(aim(aims, "settlements: 0 undelivered").met()).isTrue();
    assertThat(aim(aims, "heap steady").met()).isNull();
    assertThat(aim(aims, "heap steady").mark()).isEqualTo("n/a ");
  }

  @Test
  void oneDoubledSettlementInAnyRoundFailsTheDeliveryAim() {
    List<Round> rounds = new java.util.ArrayList<>(threeRounds());
    Step doubled = new Step(Scenarios.SETTLEMENT, 4, null, 100, 0, 1, 100, 1, 2, 3, 4, 1, 0.1, 50, 100, 90, null,
        null, null, null, new Step.Settlement(100, 5, 0, 1, 1, 2, 0, -1, -1), null);
    rounds.add(Round.of(4, List.of(doubled)));

    Aim delivery = aim(Aim.judge(MedianRatios.of(rounds), rounds, null), "settlements: 0 undelivered");
    assertThat(delivery.met()).isFalse();
    assertThat(delivery.measured()).startsWith("0 undelivered, 1 doubled");
  }

  @Test
  void aSettlementStepIsChargedTheCpuItsDeliveriesUsedAfterTheWindow() {
    // 1,000 accepted in a window of 1 s at 1.8 cores (0.5 of them PostgreSQL), then a drain of 1 s more at the same.
    ResourceMeter.Snapshot start = new ResourceMeter.Snapshot(0, 0, 0, 0, 0);
    ClosedLoop.Result window = new ClosedLoop.Result(32, 1000, 0, 1, Latency.NONE,
        new ResourceMeter.Usage(1.3, 0.5, 0.9, 100), start, null, null);
    Step.Settlement throughDrain = new Step.Settlement(1000, 1000, 0, 0, 1, 2, 0, 2.6, 1.0);
    Step charged = Step.of(Scenarios.SETTLEMENT, window, null, throughDrain);
    assertThat(charged.opsPerCpuSecond()).isEqualTo(1000 / 3.6, org.assertj.core.api.Assertions.within(0.01));
    assertThat(MedianRatios.postgresCpuMsPerMessage(charged)).isEqualTo(1.0);

    Step windowOnly = Step.of(Scenarios.SETTLEMENT, window, null, new Step.Settlement(1000, 0, 0, 0, 1, 2, 0, -1, -1));
    assertThat(windowOnly.opsPerCpuSecond()).isEqualTo(1000 / 1.8, org.assertj.core.api.Assertions.within(0.01));
    assertThat(MedianRatios.postgresCpuMsPerMessage(windowOnly)).isEqualTo(0.5);
  }

  private static Round round(int n, double coverageCeiling, double coverageCeilingPerCpu, double coverage,
      double coveragePerCpu, double coveragePgCores, double settlementCeiling, double settlementCeilingPerCpu,
      double settlement, double settlementPerCpu, double settlementPgCores, double pacedP99) {
    Step paced = step(Scenarios.COVERAGE_PACED, 64, 0.7 * coverage, 0.7 * coveragePerCpu, 0.1, pacedP99);
    paced = new Step(paced.scenario(), paced.concurrency(), 0.7 * coverage, paced.completed(), 0, 1,
        paced.throughput(), 1, pacedP99, pacedP99, pacedP99, 1, 0.1, 50, 100, paced.opsPerCpuSecond(), null, null,
        null, null, null, null);
    return Round.of(n, List.of(
        step(Scenarios.BASELINE, 4, ECHO, 5000, 0, 1),
        step(Scenarios.COVERAGE_CEILING, 1, coverageCeiling / 2, coverageCeilingPerCpu, -1, 2),
        step(Scenarios.COVERAGE_CEILING, 2, coverageCeiling, coverageCeilingPerCpu, -1, 2),
        step(Scenarios.SETTLEMENT_CEILING, 1, settlementCeiling / 2, settlementCeilingPerCpu, -1, 2),
        step(Scenarios.SETTLEMENT_CEILING, 2, settlementCeiling, settlementCeilingPerCpu, -1, 2),
        step(Scenarios.COVERAGE, 1, coverage / 4, coveragePerCpu / 2, coveragePgCores / 4, 5),
        step(Scenarios.COVERAGE, 4, coverage, coveragePerCpu, coveragePgCores, 9),
        paced,
        settlementStep(1, settlement / 4, settlementPerCpu / 2, settlementPgCores / 4),
        settlementStep(4, settlement, settlementPerCpu, settlementPgCores)));
  }

  private static Step step(String scenario, int concurrency, double throughput, double perCpu, double pgCores,
      double p99) {
    return new Step(scenario, concurrency, null, Math.round(throughput), 0, 1, throughput, 1, p99, p99, p99, 1,
        pgCores, 50, 100, perCpu, null, null, null, null, null, null);
  }

  private static Step settlementStep(int concurrency, double throughput, double perCpu, double pgCores) {
    return new Step(Scenarios.SETTLEMENT, concurrency, null, Math.round(throughput), 0, 1, throughput, 1, 2, 3, 4, 1,
        pgCores, 50, 100, perCpu, null, null, null, null,
        new Step.Settlement(Math.round(throughput), 5, 0, 0, 1, 2, 0, -1, -1), null);
  }

  private static Step only(Round r, String scenario, int concurrency) {
    return r.stepsOf(scenario).stream().filter(s -> s.concurrency() == concurrency).findFirst().orElseThrow();
  }

  private static Aim aim(List<Aim> aims, String startingWith) {
    return aims.stream().filter(a -> a.aim().startsWith(startingWith)).findFirst().orElseThrow();
  }

  private static Map<String, MedianRatios.Row> byStep(List<MedianRatios.Row> rows) {
    return rows.stream().collect(Collectors.toMap(r -> r.scenario() + "@" + r.concurrency(), Function.identity()));
  }
}
