package io.hmb.bench;

/** The percentiles we publish, in microseconds. */
record Latency(long p50, long p99, long p999, long max, int samples) {
  static final Latency NONE = new Latency(0, 0, 0, 0, 0);

  static Latency of(LatencyRecorder sorted) {
    return new Latency(sorted.percentile(50), sorted.percentile(99), sorted.percentile(99.9), sorted.max(),
        sorted.size());
  }
}
