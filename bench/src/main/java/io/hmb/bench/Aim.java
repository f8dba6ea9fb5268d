package io.hmb.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One aim of issue #18, judged on the medians over the rounds; {@code met} is null when it was not measured.
 * The throughput aims and PostgreSQL's CPU per message are read at each scenario's peak (the concurrency
 * with the highest median throughput), so that every figure of a scenario comes from the same row.
 */
record Aim(String aim, String measured, Boolean met) {
  static final double MIN_CPU_EFFICIENCY_TO_CEILING = 0.80;
  static final double MAX_PACED_P99_MS = 20;
  static final double MAX_POSTGRES_CPU_MS_PER_MESSAGE = 0.25;
  static final int SOAK_SECONDS = 600;

  static List<Aim> judge(List<MedianRatios.Row> medians, List<Round> rounds, Soak.Result soak) {
    Optional<MedianRatios.Row> coverage = peak(medians, Scenarios.COVERAGE);
    Optional<MedianRatios.Row> settlement = peak(medians, Scenarios.SETTLEMENT);
    List<Aim> out = new ArrayList<>();
    out.add(ceilingAim("coverage checks", coverage, rounds.size()));
    out.add(ceilingAim("settlements", settlement, rounds.size()));
    out.add(pacedP99Aim(medians.stream().filter(r -> r.scenario().equals(Scenarios.COVERAGE_PACED)).findFirst(),
        rounds));
    out.add(postgresAim("coverage check", coverage));
    out.add(postgresAim("settlement", settlement));
    out.add(deliveryAim(rounds, soak));
    out.add(soakAim(soak));
    return out;
  }

  private static Aim ceilingAim(String what, Optional<MedianRatios.Row> peak, int rounds) {
    String aim = String.format("%s >= %.2f of their same-run crypto ceiling per CPU-second (median of %d)", what,
        MIN_CPU_EFFICIENCY_TO_CEILING, rounds);
    if (peak.isEmpty() || peak.get().cpuEfficiencyToCeiling() == null) {
      return new Aim(aim, "not measured", null);
    }
    MedianRatios.Row p = peak.get();
    return new Aim(aim, String.format("x ceil/cpu %.3f (x ceil %s) at %d callers, the median peak of %.0f/s",
        p.cpuEfficiencyToCeiling(), p.ratioToCeiling() == null ? "-" : String.format("%.3f", p.ratioToCeiling()),
        p.concurrency(), p.throughput()), p.cpuEfficiencyToCeiling() >= MIN_CPU_EFFICIENCY_TO_CEILING);
  }

  private static Aim pacedP99Aim(Optional<MedianRatios.Row> paced, List<Round> rounds) {
    String aim = String.format("coverage p99 < %.0f ms at 70%% of peak (median)", MAX_PACED_P99_MS);
    if (paced.isEmpty()) {
      return new Aim(aim, "not measured", null);
    }
    MedianRatios.Row p = paced.get();
    long errors = rounds.stream().flatMap(r -> r.stepsOf(Scenarios.COVERAGE_PACED).stream())
        .mapToLong(Step::errors).sum();
    return new Aim(aim, String.format("p99 %.1f ms at %.0f/s offered (%.0f/s done), %d failed calls", p.p99Ms(),
        p.offeredPerSecond() == null ? 0 : p.offeredPerSecond(), p.throughput(), errors),
        p.p99Ms() < MAX_PACED_P99_MS && errors == 0);
  }

  private static Aim postgresAim(String what, Optional<MedianRatios.Row> peak) {
    String aim = String.format("PostgreSQL CPU per %s < %.2f ms (median)", what, MAX_POSTGRES_CPU_MS_PER_MESSAGE);
    if (peak.isEmpty() || peak.get().postgresCpuMsPerMessage() == null) {
      return new Aim(aim, "not measured", null);
    }
    MedianRatios.Row p = peak.get();
    return new Aim(aim, String.format("%.3f ms at %d callers (%.0f/s)", p.postgresCpuMsPerMessage(), p.concurrency(),
        p.throughput()), p.postgresCpuMsPerMessage() < MAX_POSTGRES_CPU_MS_PER_MESSAGE);
  }

  private static Aim deliveryAim(List<Round> rounds, Soak.Result soak) {
    String aim = "settlements: 0 undelivered, 0 doubled";
    List<Step.Settlement> steps = rounds.stream().flatMap(r -> r.stepsOf(Scenarios.SETTLEMENT).stream())
        .map(Step::settlement).toList();
    if (steps.isEmpty() && soak == null) {
      return new Aim(aim, "not measured", null);
    }
    long accepted = steps.stream().mapToLong(Step.Settlement::accepted).sum() + (soak == null ? 0 : soak.accepted());
    long undelivered = steps.stream().mapToLong(Step.Settlement::undelivered).sum()
        + (soak == null ? 0 : soak.undelivered());
    long doubled = steps.stream().mapToLong(Step.Settlement::duplicates).sum() + (soak == null ? 0 : soak.duplicates());
    return new Aim(aim, String.format("%d undelivered, %d doubled of %d accepted%s", undelivered, doubled, accepted,
        soak == null ? "" : " (soak included)"), undelivered == 0 && doubled == 0);
  }

  private static Aim soakAim(Soak.Result soak) {
    String aim = "heap steady under a 10-minute soak";
    if (soak == null) {
      return new Aim(aim, "not run (use --soak 10m)", null);
    }
    boolean longEnough = soak.durationSeconds() >= SOAK_SECONDS - 1;
    return new Aim(aim, String.format("%.0f s at %.0f/s: %s%s", soak.durationSeconds(), soak.throughput(),
        soak.verdict(), longEnough ? "" : " (shorter than 10 minutes)"),
        longEnough ? soak.verdict().startsWith("steady") && soak.undelivered() == 0 && soak.duplicates() == 0 : null);
  }

  /** The scenario's row with the highest median throughput. */
  static Optional<MedianRatios.Row> peak(List<MedianRatios.Row> medians, String scenario) {
    return medians.stream().filter(r -> r.scenario().equals(scenario))
        .max(Comparator.comparingDouble(MedianRatios.Row::throughput));
  }

  String mark() {
    return met == null ? "n/a " : met ? "MET " : "NOT MET";
  }
}
