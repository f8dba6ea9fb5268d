package io.hmb.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every scenario once, in the order of the tables: the echo baseline, the coverage check's and the
 * settlement's crypto ceilings, coverage checks, coverage checks paced at 70% of this round's peak, and
 * settlements. Rounds run back to back, so that drift of a shared machine falls on ceilings and gateway
 * scenarios alike.
 */
final class RoundOfScenarios {
  /** Share of the round's closed-loop coverage peak offered in the paced step. */
  static final double PACED_SHARE_OF_PEAK = 0.7;

  private final Scenarios run;
  private final List<Integer> levels;
  private final List<Integer> ceilingThreads;
  private final int pacedCallers;
  private final Duration warmup;
  private final Duration measure;
  /** Where JFR recordings of the gateway scenarios go, or null for none. */
  private final Path profileDir;

  RoundOfScenarios(Scenarios run, List<Integer> levels, List<Integer> ceilingThreads, int pacedCallers,
      Duration warmup, Duration measure, Path profileDir) {
    this.run = run;
    this.levels = levels;
    this.ceilingThreads = ceilingThreads;
    this.pacedCallers = pacedCallers;
    this.warmup = warmup;
    this.measure = measure;
    this.profileDir = profileDir;
  }

  /**
   * The round's steps as measured (no ratios yet); the recordings it made are added to {@code profiles}.
   * {@code suffix} tells the rounds' recordings apart ("" for a single round).
   */
  List<Step> run(PrintWriter w, String suffix, List<String> profiles) throws InterruptedException, IOException {
    List<Step> steps = new ArrayList<>();
    for (int c : levels) {
      steps.add(progress(w, run.baseline(c, warmup, measure)));
    }
    for (int c : ceilingThreads) {
      steps.add(progress(w, run.coverageCeiling(c, warmup, measure)));
    }
    for (int c : ceilingThreads) {
      steps.add(progress(w, run.settlementCeiling(c, warmup, measure)));
    }
    try (Profiler p = startProfile("coverage" + suffix, profiles)) {
      for (int c : levels) {
        steps.add(progress(w, run.coverage(c, warmup, measure)));
      }
      double peak = Step.peak(steps, Scenarios.COVERAGE).map(Step::throughput).orElse(0.0);
      if (peak > 0) {
        steps.add(progress(w, run.coveragePaced(PACED_SHARE_OF_PEAK * peak, pacedCallers, warmup, measure)));
      }
    }
    try (Profiler p = startProfile("settlement" + suffix, profiles)) {
      for (int c : levels) {
        steps.add(progress(w, run.settlement(c, warmup, measure)));
      }
    }
    return steps;
  }

  /**
   * Runs every scenario of a round, unmeasured, for {@code total} in all (split evenly, at the highest
   * concurrency; the paced step at 70% of that cycle's coverage checks), before the first round, and again while
   * the JIT compilers were busy in the cycle ({@link JitWarmUp}). HotSpot's C2 compiler keeps compiling for
   * minutes after a JVM starts: a perf profile of the first round's coverage step found the compiler threads taking
   * 15% of the machine, charged to that step's CPU per operation, while the crypto ceilings, measured earlier still,
   * ran slower than they do warm (by a quarter, in a loop of the ceiling alone); and a paced step's stalls lined up
   * with its bursts. A gateway that has served for an hour has compiled its code, so the rounds measure that.
   */
  List<JitWarmUp.Cycle> warmUp(PrintWriter w, Duration total) throws InterruptedException {
    if (total.isZero()) {
      return List.of();
    }
    Duration each = total.dividedBy(6);
    int top = levels.get(levels.size() - 1);
    int threads = ceilingThreads.get(ceilingThreads.size() - 1);
    w.printf("JIT warm-up: every scenario for %d ms, unmeasured, until the compilers are quiet%n", each.toMillis());
    w.flush();
    return new JitWarmUp(JitWarmUp.thisJvm()).run(() -> {
      run.baseline(top, Duration.ZERO, each);
      run.coverageCeiling(threads, Duration.ZERO, each);
      run.settlementCeiling(threads, Duration.ZERO, each);
      double coverage = run.coverage(top, Duration.ZERO, each).throughput();
      if (coverage > 0) {
        run.coveragePaced(PACED_SHARE_OF_PEAK * coverage, pacedCallers, Duration.ZERO, each);
      }
      run.settlement(top, Duration.ZERO, each);
    }, w);
  }

  private Profiler startProfile(String name, List<String> profiles) throws IOException {
    if (profileDir == null) {
      return null;
    }
    Path file = profileDir.resolve(name + ".jfr").toAbsolutePath();
    profiles.add(file.toString());
    return Profiler.start("hmb-bench-" + name, file);
  }

  private static Step progress(PrintWriter w, Step s) {
    w.printf("  %-29s %s %5d: %8.0f ops/s  p50 %7.2f ms  p99 %7.2f ms  errors %d%n", s.scenario(),
        s.pacedPerSecond() == null ? "c" : "@", s.pacedPerSecond() == null ? s.concurrency()
            : Math.round(s.pacedPerSecond()), s.throughput(), s.p50Ms(), s.p99Ms(), s.problems());
    if (s.tail() != null) {
      w.println("    tail over time: " + s.tail().describe());
    }
    w.flush();
    return s;
  }
}
