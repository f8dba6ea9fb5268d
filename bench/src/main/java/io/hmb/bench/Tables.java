package io.hmb.bench;

import java.io.PrintWriter;
import java.util.List;

/** Fixed-width tables for the terminal: one per scenario and round, and the medians over the rounds. */
final class Tables {
  private Tables() {}

  static void print(PrintWriter out, String title, List<Step> steps) {
    if (steps.isEmpty()) {
      return;
    }
    boolean settlement = steps.get(0).settlement() != null;
    out.println();
    out.println("== " + title);
    out.printf("%6s %9s %8s %8s %9s %7s %7s %7s %8s %7s %7s %7s %7s %10s", "conc", "ops/s", "p50 ms", "p99 ms", "p99.9 ms",
        "JVM cpu", "PG cpu", "mach %", "RSS MiB", "ops/cpu", "errors", "x echo", "x ceil", "x ceil/cpu");
    if (settlement) {
      out.printf(" %9s %7s %5s %9s", "drain ms", "undeliv", "dup", "deliv p99");
    }
    out.println();
    for (Step s : steps) {
      out.printf("%6s %9.0f %8.2f %8.2f %9.2f %7.2f %7s %7s %8s %7.0f %7d %7s %7s %10s",
          s.pacedPerSecond() == null ? Integer.toString(s.concurrency()) : "@" + Math.round(s.pacedPerSecond()),
          s.throughput(), s.p50Ms(), s.p99Ms(), s.p999Ms(), s.jvmCpuCores(), na(s.postgresCpuCores(), "%.2f"),
          na(s.machineBusyPercent(), "%.0f"), na(s.rssMiB(), "%.0f"), s.opsPerCpuSecond(), s.errors(),
          ratio(s.ratioToBaseline()),
          ratio(s.ratioToCeiling()), ratio(s.cpuEfficiencyToCeiling()));
      if (settlement) {
        var x = s.settlement();
        out.printf(" %9s %7d %5d %9.1f", x.drainMs() < 0 ? "TIMEOUT" : String.format("%.0f", x.drainMs()), x.undelivered(),
            x.duplicates(), x.deliveryP99Ms());
      }
      out.println();
      if (s.firstError() != null) {
        out.println("       first error: " + s.firstError());
      }
    }
    out.flush();
  }

  /** The medians over the rounds, one row per scenario and concurrency (@ = the paced step, median offered rate). */
  static void printMedians(PrintWriter out, int rounds, List<MedianRatios.Row> rows) {
    out.println();
    out.printf("== medians over %d round%s (each ratio against its own round's echo peak and ceiling)%n", rounds,
        rounds == 1 ? "" : "s");
    out.printf("%-30s %6s %9s %8s %9s %7s %7s %10s%n", "scenario", "conc", "ops/s", "p99 ms", "PG ms/op", "x echo",
        "x ceil", "x ceil/cpu");
    for (MedianRatios.Row r : rows) {
      out.printf("%-30s %6s %9.0f %8.2f %9s %7s %7s %10s%n", r.scenario(),
          r.offeredPerSecond() == null ? Integer.toString(r.concurrency()) : "@" + Math.round(r.offeredPerSecond()),
          r.throughput(), r.p99Ms(), r.postgresCpuMsPerMessage() == null ? "n/a"
              : String.format("%.3f", r.postgresCpuMsPerMessage()), ratio(r.ratioToBaseline()),
          ratio(r.ratioToCeiling()), ratio(r.cpuEfficiencyToCeiling()));
    }
    out.flush();
  }

  private static String na(double v, String format) {
    return v < 0 ? "n/a" : String.format(format, v);
  }

  private static String ratio(Double r) {
    return r == null ? "-" : String.format("%.3f", r);
  }
}
