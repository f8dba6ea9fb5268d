package io.hmb.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** One aim of issue #8, judged from this run's figures; {@code met} is null when it was not measured. */
record Aim(String aim, String measured, Boolean met) {

  static List<Aim> judge(List<Step> steps, double ceiling, double ceilingPerCpu, Soak.Result soak) {
    List<Aim> out = new ArrayList<>();
    Optional<Step> coveragePeak = peak(steps, Scenarios.COVERAGE);
    out.add(coveragePeak.map(p -> new Aim("coverage checks >= 50% of the crypto ceiling (same run)",
            String.format("peak %.0f/s at %d callers = %.0f%% of %.0f/s; per CPU-second %.0f vs %.0f = %.0f%%",
                p.throughput(), p.concurrency(), 100 * p.throughput() / ceiling, ceiling, p.opsPerCpuSecond(),
                ceilingPerCpu, 100 * p.opsPerCpuSecond() / ceilingPerCpu), p.throughput() >= 0.5 * ceiling))
        .orElse(new Aim("coverage checks >= 50% of the crypto ceiling (same run)", "not measured", null)));
    Optional<Step> paced = steps.stream().filter(s -> s.scenario().equals(Scenarios.COVERAGE_PACED)).findFirst();
    out.add(paced.map(p -> new Aim("coverage p99 < 50 ms at 70% of peak",
            String.format("p99 %.1f ms at %.0f/s offered (%.0f/s done), p99.9 %.1f ms", p.p99Ms(), p.pacedPerSecond(),
                p.throughput(), p.p999Ms()), p.p99Ms() < 50 && p.errors() == 0))
        .orElse(new Aim("coverage p99 < 50 ms at 70% of peak", "not measured", null)));
    Optional<Step> settlementPeak = peak(steps, Scenarios.SETTLEMENT);
    long undeliveredOrDoubled = steps.stream().filter(s -> s.settlement() != null)
        .mapToLong(s -> s.settlement().undelivered() + s.settlement().duplicates()).sum();
    out.add(settlementPeak.map(p -> new Aim("settlements durable at >= 1,000/s",
            String.format("peak %.0f/s accepted (committed) at %d callers; %d undelivered or doubled", p.throughput(),
                p.concurrency(), undeliveredOrDoubled), p.throughput() >= 1000 && undeliveredOrDoubled == 0))
        .orElse(new Aim("settlements durable at >= 1,000/s", "not measured", null)));
    if (soak == null) {
      out.add(new Aim("heap steady under a 10-minute soak", "not run (use --soak 10m)", null));
    } else {
      boolean longEnough = soak.durationSeconds() >= 600 - 1;
      out.add(new Aim("heap steady under a 10-minute soak", String.format("%.0f s at %.0f/s: %s%s",
          soak.durationSeconds(), soak.throughput(), soak.verdict(), longEnough ? "" : " (shorter than 10 minutes)"),
          longEnough ? soak.verdict().startsWith("steady") && soak.undelivered() == 0 && soak.duplicates() == 0 : null));
    }
    return out;
  }

  static Optional<Step> peak(List<Step> steps, String scenario) {
    return steps.stream().filter(s -> s.scenario().equals(scenario)).max(Comparator.comparingDouble(Step::throughput));
  }

  String mark() {
    return met == null ? "n/a " : met ? "MET " : "NOT MET";
  }
}
