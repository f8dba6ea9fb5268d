package io.hmb.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * N callers, each waiting for its answer before the next call (closed loop). Calls that complete inside
 * the measurement window (after warmup) count towards throughput and latency; errors count everywhere.
 * Every caller stops by itself at the end of the window or after {@code maxCalls}, whichever comes first.
 *
 * <p>Paced (a rate above 0): call i is due at start + i/rate and its latency is measured from when it was
 * due, not when a caller got to it, so a stall shows up in the percentiles instead of hiding in fewer
 * calls (coordinated omission). The callers then only need to outnumber the calls in flight.
 */
final class ClosedLoop {
  /** One operation as a caller sees it; throwing counts an error. */
  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  record Result(int concurrency, long completed, long errors, double seconds, Latency latency,
      ResourceMeter.Usage usage, String firstError) {
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
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      LatencyRecorder recorder = new LatencyRecorder();
      recorders.add(recorder);
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
    sleepUntil(windowEnd);
    ResourceMeter.Snapshot b = meter.snapshot();
    // A call in flight at the end finishes within its own deadline; wait a little longer than that.
    if (!done.await(30, TimeUnit.SECONDS)) {
      firstError.compareAndSet(null, "callers still running 30 s after the window closed");
      errors.incrementAndGet();
    }
    double seconds = (b.wallNanos() - a.wallNanos()) / 1e9;
    return new Result(concurrency, completed.get(), errors.get(), seconds,
        Latency.of(LatencyRecorder.merge(recorders)), meter.between(a, b), firstError.get());
  }

  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }
}
