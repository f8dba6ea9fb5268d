package io.hmb.bench;

import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * When the JIT warm-up may stop: after a cycle of every scenario in which HotSpot's compilers were busy for at most
 * {@link #QUIET_PERCENT}% of the cycle's time, or after {@link #MAX_CYCLES} cycles.
 *
 * <p>Why: a paced step's stalls lined up with bursts of the C2 compiler (up to 113 ms of a core in a window of 250 ms,
 * on a 2-core machine already three quarters busy), seen with per-thread CPU from /proc laid against the tail's
 * windows (docs/performance.md, 2026-12-03 16:00Z). One cycle of 30 s was far from enough: the compilers reported
 * themselves busy for 99%, 71%, 42% and 12% of four cycles in a row, and their threads' own CPU (about two thirds of
 * what they report, which is elapsed time) fell to 0.1% of the machine only after about 150 s. Methods called a few
 * hundred times a second (the audit chainer's pass, the group commit's batch) take minutes to reach C2. A gateway that
 * has served for an hour has compiled them, so the rounds measure that. Decision (the seeds and the issue are
 * silent): quiet at 5% of the reported time, at most 8 cycles (4 minutes at the default 30 s); the bench prints each
 * cycle, and bench.json keeps them ({@code jitWarmUp}).
 */
final class JitWarmUp {
  /** A cycle whose compilers were busy for at most this share of its time leaves the JIT settled enough. */
  static final int QUIET_PERCENT = 5;
  static final double QUIET_SHARE = QUIET_PERCENT / 100.0;
  static final int MAX_CYCLES = 8;

  /** One cycle: how long it took and how long the compilers were busy in it. */
  record Cycle(int cycle, double seconds, double compilerSeconds) {
    double compilerShare() {
      return seconds <= 0 ? 0 : compilerSeconds / seconds;
    }
  }

  private final LongSupplier compilerMillis;
  private final List<Cycle> cycles = new ArrayList<>();

  /** @param compilerMillis the compilers' total busy time so far, or null where the JVM does not report it */
  JitWarmUp(LongSupplier compilerMillis) {
    this.compilerMillis = compilerMillis;
  }

  /** This JVM's compilers, through the CompilationMXBean; null when it does not measure their time. */
  static LongSupplier thisJvm() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit::getTotalCompilationTime : null;
  }

  /** One cycle of every scenario. */
  @FunctionalInterface
  interface EveryScenario {
    void runAll() throws InterruptedException;
  }

  /** Runs cycles until a quiet one (or one only, when the compilers' time is not known). */
  List<Cycle> run(EveryScenario cycle, PrintWriter w) throws InterruptedException {
    do {
      long c0 = compilerMillis == null ? 0 : compilerMillis.getAsLong();
      long t0 = System.nanoTime();
      cycle.runAll();
      double seconds = (System.nanoTime() - t0) / 1e9;
      double compiler = compilerMillis == null ? -1 : (compilerMillis.getAsLong() - c0) / 1000.0;
      Cycle c = new Cycle(cycles.size() + 1, Step.round(seconds), Step.round3(compiler));
      cycles.add(c);
      w.printf("JIT warm-up cycle %d: %.1f s, %s%n", c.cycle(), seconds, compilerMillis == null
          ? "the JVM does not report its compilers' time: one cycle only"
          : String.format("compilers busy %.1f s (%.1f%%; quiet at %d%% or less)", compiler,
              100 * c.compilerShare(), QUIET_PERCENT));
      w.flush();
    } while (again());
    return List.copyOf(cycles);
  }

  /** Another cycle is due while the last was not quiet, up to {@link #MAX_CYCLES}. */
  boolean again() {
    if (compilerMillis == null || cycles.isEmpty() || cycles.size() >= MAX_CYCLES) {
      return false;
    }
    return cycles.get(cycles.size() - 1).compilerShare() > QUIET_SHARE;
  }
}
