package io.hmb.bench;

import java.util.Arrays;

/**
 * Latencies in microseconds, appended by one thread (each caller owns one) and merged after a step.
 * A growable long[] sorted once: exact percentiles, no extra dependency, a few MB at most per step.
 */
final class LatencyRecorder {
  private long[] values = new long[1024];
  private int size;

  void record(long micros) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = micros;
  }

  /** The values in the order they were recorded (before a merge sorts them). */
  long[] recorded() {
    return Arrays.copyOf(values, size);
  }

  int size() {
    return size;
  }

  /** All values of {@code parts} in one sorted recorder. */
  static LatencyRecorder merge(Iterable<LatencyRecorder> parts) {
    LatencyRecorder all = new LatencyRecorder();
    for (LatencyRecorder p : parts) {
      synchronized (p) {
        for (int i = 0; i < p.size; i++) {
          all.record(p.values[i]);
        }
      }
    }
    Arrays.sort(all.values, 0, all.size);
    return all;
  }

  /** Nearest-rank percentile of a merged (sorted) recorder, in microseconds; 0 when empty. */
  long percentile(double p) {
    if (size == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * size);
    return values[Math.min(Math.max(rank, 1), size) - 1];
  }

  long max() {
    return size == 0 ? 0 : values[size - 1];
  }
}
