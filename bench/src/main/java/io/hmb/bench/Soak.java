package io.hmb.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A long settlement run that samples the heap after a full GC every {@link #SAMPLE_EVERY}: a leak shows
 * as a rising line. Latencies are not kept during the soak, so the bench's own recorders do not grow;
 * the heap is the whole JVM's (gateway, participants and callers share it).
 */
final class Soak {
  static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

  /** Heap after GC, and the window's deliveries per second and delivery p99 (a slowing inbox shows here). */
  record Sample(double seconds, double heapUsedMiB, double deliveredPerSecond, double deliveryP99Ms) {}

  record Result(double durationSeconds, int concurrency, long accepted, long errors, double throughput,
      double drainMs, long undelivered, long duplicates, List<Sample> samples, double firstHalfMeanMiB,
      double secondHalfMeanMiB, double slopeMiBPerMinute, String verdict) {}

  private Soak() {}

  static Result run(Scenarios scenarios, BenchRig rig, int concurrency, Duration duration, ResourceMeter meter)
      throws InterruptedException {
    List<Sample> samples = new ArrayList<>();
    AtomicReference<ClosedLoop.Result> outcome = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long duplicatesBefore = rig.inbox.duplicates();
    Thread load = new Thread(() -> {
      try {
        outcome.set(ClosedLoop.run("soak", concurrency, 0, Duration.ZERO, duration, Long.MAX_VALUE, false,
            scenarios::submitSettlement, meter));
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "bench-soak");
    long start = System.nanoTime();
    long windowStart = start;
    long receivedBefore = rig.inbox.received();
    rig.inbox.swapDeliveryLatency();
    load.start();
    while (load.isAlive()) {
      load.join(SAMPLE_EVERY.toMillis());
      long now = System.nanoTime();
      long received = rig.inbox.received();
      // Only the window's percentile is kept, so the bench's own memory does not grow with the soak.
      Latency delivery = Latency.of(LatencyRecorder.merge(List.of(rig.inbox.swapDeliveryLatency())));
      double perSecond = (received - receivedBefore) / ((now - windowStart) / 1e9);
      receivedBefore = received;
      windowStart = now;
      System.gc();
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      samples.add(new Sample(Step.round((now - start) / 1e9), Step.round(used / 1048576.0), Step.round(perSecond),
          Step.ms(delivery.p99())));
    }
    if (failure.get() != null) {
      throw new IllegalStateException("soak failed: " + failure.get(), failure.get());
    }
    long drain = rig.inbox.awaitDrained(120_000);
    ClosedLoop.Result r = outcome.get();
    int half = samples.size() / 2;
    double first = mean(samples.subList(0, Math.max(half, 1)));
    double second = mean(samples.subList(half, samples.size()));
    double slope = slopePerMinute(samples.subList(Math.min(1, samples.size() - 1), samples.size()));
    // Steady: the second half is within 10% (or 16 MiB) of the first; otherwise say it grows.
    boolean steady = second - first <= Math.max(16, first * 0.10);
    String verdict = (steady ? "steady" : "growing") + String.format(" (%.1f -> %.1f MiB mean, %+.2f MiB/min)",
        first, second, slope);
    return new Result(Step.round(r.seconds()), concurrency, r.completed(), r.errors(), Step.round(r.throughput()),
        drain < 0 ? -1 : Step.round(drain / 1e6), rig.inbox.pendingCount(), rig.inbox.duplicates() - duplicatesBefore,
        samples, Step.round(first), Step.round(second), Step.round(slope), verdict);
  }

  private static double mean(List<Sample> s) {
    return s.stream().mapToDouble(Sample::heapUsedMiB).average().orElse(0);
  }

  /** Least-squares slope of heap against time, in MiB per minute (the first sample is warm-up). */
  private static double slopePerMinute(List<Sample> s) {
    int n = s.size();
    if (n < 2) {
      return 0;
    }
    double mx = s.stream().mapToDouble(Sample::seconds).average().orElse(0);
    double my = mean(s);
    double num = 0;
    double den = 0;
    for (Sample p : s) {
      num += (p.seconds() - mx) * (p.heapUsedMiB() - my);
      den += (p.seconds() - mx) * (p.seconds() - mx);
    }
    return den == 0 ? 0 : num / den * 60;
  }
}
