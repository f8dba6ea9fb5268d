package io.hmb.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When a paced step's slowest calls were due. Calls fall in windows by their due time: a tail held in a few windows is
 * a stall (every call due then waited for the same thing: a new WAL segment, a pause), a tail spread over most windows
 * is queueing. docs/performance.md reads the aims' p99 with it.
 *
 * @param measuredFrom when the step's measured time began (UTC, to the millisecond): what the windows' offsets count
 *     from, so that a stall can be laid against other clocks (a sampler's, a log's, a JFR recording's)
 * @param windowMs each window's length
 * @param slowerThanMs what makes a call slow: the step's p99
 * @param windows windows the step's measured time spans
 * @param slowCalls calls slower than {@code slowerThanMs} (the step's p99: about 1% of them)
 * @param windowsWithSlowCalls windows holding at least one slow call
 * @param worst the windows holding the most slow calls, most first, at most {@link #WORST}
 */
record TailOverTime(String measuredFrom, double windowMs, double slowerThanMs, int windows, long slowCalls,
    int windowsWithSlowCalls, List<Window> worst) {
  static final int WORST = 3;

  /** One window: its start after the measured time began, its calls, the slow ones among them, the slowest. */
  record Window(double startSeconds, long calls, long slowCalls, double maxMs) {}

  /**
   * @param measuredFrom when the measured time began
   * @param dueMicros each call's due time, after the measured time began
   * @param latencyMicros each call's latency from its due time, in the same order
   */
  static TailOverTime of(Instant measuredFrom, long[] dueMicros, long[] latencyMicros, long windowMicros,
      long slowerThanMicros) {
    if (dueMicros.length != latencyMicros.length || windowMicros <= 0) {
      throw new IllegalArgumentException("one due time per latency, and windows of some length");
    }
    long last = 0;
    for (long due : dueMicros) {
      last = Math.max(last, due);
    }
    int windows = dueMicros.length == 0 ? 0 : (int) (last / windowMicros) + 1;
    long[] calls = new long[windows];
    long[] slow = new long[windows];
    long[] max = new long[windows];
    long slowCalls = 0;
    for (int i = 0; i < dueMicros.length; i++) {
      int w = (int) (Math.max(0, dueMicros[i]) / windowMicros);
      calls[w]++;
      max[w] = Math.max(max[w], latencyMicros[i]);
      if (latencyMicros[i] > slowerThanMicros) {
        slow[w]++;
        slowCalls++;
      }
    }
    List<Window> withSlow = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      if (slow[w] > 0) {
        withSlow.add(new Window(Step.round3(w * windowMicros / 1e6), calls[w], slow[w], Step.ms(max[w])));
      }
    }
    int windowsWithSlow = withSlow.size();
    withSlow.sort(Comparator.comparingLong(Window::slowCalls).reversed().thenComparingDouble(Window::startSeconds));
    return new TailOverTime(measuredFrom.truncatedTo(ChronoUnit.MILLIS).toString(), Step.ms(windowMicros),
        Step.ms(slowerThanMicros), windows, slowCalls, windowsWithSlow,
        List.copyOf(withSlow.subList(0, Math.min(WORST, windowsWithSlow))));
  }

  /** The share of the slow calls that the worst windows hold. */
  double shareInWorst() {
    return slowCalls == 0 ? 0 : worst.stream().mapToLong(Window::slowCalls).sum() / (double) slowCalls;
  }

  /**
   * e.g. "51 calls over 67.9 ms in 4 of 32 windows of 250 ms from 2026-12-03T06:31:02.417Z, 84% in the worst: +2.25 s
   * 22 of 163 (max 85.2 ms); ..."
   */
  String describe() {
    StringBuilder b = new StringBuilder(String.format("%d calls over %.1f ms in %d of %d windows of %.0f ms from %s",
        slowCalls, slowerThanMs, windowsWithSlowCalls, windows, windowMs, measuredFrom));
    if (!worst.isEmpty()) {
      b.append(String.format(", %.0f%% in the worst:", 100 * shareInWorst()));
      for (Window w : worst) {
        b.append(String.format(" +%.2f s %d of %d (max %.1f ms);", w.startSeconds(), w.slowCalls(), w.calls(), w.maxMs()));
      }
      b.setLength(b.length() - 1);
    }
    return b.toString();
  }
}
