package io.hmb.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;

/**
 * N callers, each waiting for its answer before the next call (closed loop). Calls that complete inside
 * the measurement window (after warmup) count towards throughput and latency; errors count everywhere.
 * Every caller stops by itself at the end of the window or after {@code maxCalls}, whichever comes first.
 *
 * <p>Paced (a rate above 0): call i is due at start + i/rate and its latency is measured from when it was
 * due, not when a caller got to it, so a stall shows up in the percentiles instead of hiding in fewer
 * calls (coordinated omission). The callers then only need to outnumber the calls in flight. A paced step also
 * says when its slowest calls were due ({@link TailOverTime}).
 */
final class ClosedLoop {
  /** One operation as a caller sees it; throwing counts an error. */
  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  /** Windows of a paced step's tail over time: long enough to hold a pause's calls, short enough to tell pauses apart. */
  static final long TAIL_WINDOW_MICROS = 250_000;

  /**
   * @param windowStart the meter when the measured window opened, for costs that come due after it closed
   * @param tail a paced step's slowest calls over time; null for a closed loop
   */
  record Result(int concurrency, long completed, long errors, double seconds, Latency latency,
      ResourceMeter.Usage usage, ResourceMeter.Snapshot windowStart, String firstError, TailOverTime tail) {
    double throughput() {
      return seconds <= 0 ? 0 : completed / seconds;
    }
  }

  private ClosedLoop() {}

  static Result run(String name, int concurrency, Duration warmup, Duration measure, long maxCalls, Call call,
      ResourceMeter meter) throws InterruptedException {
    return run(name, concurrency, 0, warmup, measure, maxCalls, true, call, meter);
  }

  static Result run(String name, int concurrency, double ratePerSecond, Duration warmup, Duration measure,
      long maxCalls, boolean recordLatency, Call call, ResourceMeter meter) throws InterruptedException {
    long start = System.nanoTime();
    long windowStart = start + warmup.toNanos();
    long windowEnd = windowStart + measure.toNanos();
    AtomicLong completed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong started = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<LatencyRecorder> recorders = new ArrayList<>();
    List<LatencyRecorder> dueTimes = new ArrayList<>(); // a paced step's: each caller's, in step with its latencies
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      LatencyRecorder recorder = new LatencyRecorder();
      recorders.add(recorder);
      LatencyRecorder dueAt = new LatencyRecorder();
      dueTimes.add(dueAt);
      Thread t = new Thread(() -> {
        try {
          long ticket;
          while (System.nanoTime() < windowEnd && (ticket = started.incrementAndGet()) <= maxCalls) {
            long t0 = System.nanoTime();
            if (ratePerSecond > 0) {
              long due = start + (long) ((ticket - 1) * 1e9 / ratePerSecond);
              if (due >= windowEnd) {
                break;
              }
              sleepUntil(due);
              t0 = due;
            }
            try {
              call.run();
              long t1 = System.nanoTime();
              if (t0 >= windowStart && t1 <= windowEnd) {
                if (recordLatency) {
                  synchronized (recorder) {
                    recorder.record((t1 - t0) / 1000);
                    if (ratePerSecond > 0) {
                      dueAt.record((t0 - windowStart) / 1000);
                    }
                  }
                }
                completed.incrementAndGet();
              }
            } catch (Exception | AssertionError e) {
              errors.incrementAndGet();
              firstError.compareAndSet(null, e.toString());
            }
          }
        } finally {
          done.countDown();
        }
      }, name + "-caller-" + i);
      t.setDaemon(true);
      t.start();
    }
    sleepUntil(windowStart);
    ResourceMeter.Snapshot a = meter.snapshot();
    Instant measuredFrom = Instant.now().minusNanos(System.nanoTime() - windowStart);
    sleepUntil(windowEnd);
    ResourceMeter.Snapshot b = meter.snapshot();
    // A call in flight at the end finishes within its own deadline; wait a little longer than that.
    if (!done.await(30, TimeUnit.SECONDS)) {
      firstError.compareAndSet(null, "callers still running 30 s after the window closed");
      errors.incrementAndGet();
    }
    double seconds = (b.wallNanos() - a.wallNanos()) / 1e9;
    Latency latency = Latency.of(LatencyRecorder.merge(recorders));
    TailOverTime tail = ratePerSecond > 0 && recordLatency
        ? tailOverTime(measuredFrom, recorders, dueTimes, latency.p99()) : null;
    return new Result(concurrency, completed.get(), errors.get(), seconds, latency, meter.between(a, b), a,
        firstError.get(), tail);
  }

  /** Every caller's due times and latencies, read under the lock they were written under, so they stay paired. */
  private static TailOverTime tailOverTime(Instant measuredFrom, List<LatencyRecorder> latencies,
      List<LatencyRecorder> dueTimes, long p99) {
    LongStream.Builder due = LongStream.builder();
    LongStream.Builder taken = LongStream.builder();
    for (int i = 0; i < latencies.size(); i++) {
      synchronized (latencies.get(i)) {
        Arrays.stream(dueTimes.get(i).recorded()).forEach(due);
        Arrays.stream(latencies.get(i).recorded()).forEach(taken);
      }
    }
    return TailOverTime.of(measuredFrom, due.build().toArray(), taken.build().toArray(), TAIL_WINDOW_MICROS, p99);
  }

  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }
}
