package io.hmb.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The one way tests wait for something another thread, process or server does: poll an observable
 * condition with a short backoff until it holds or a generous time limit passes. Use it instead of
 * {@code Thread.sleep} to order events; a sleep that stays in a test is a real duration (a client's
 * retry delay, a fault that lasts a while, a negative check) and says so in a comment.
 *
 * <p>The limits are generous on purpose: the suite must pass on a machine whose cores are busy with
 * other work, where a delivery that takes 50 ms alone can take seconds. A passing wait costs only as
 * long as the condition takes; the limit only bounds how long a broken build hangs.
 *
 * <p>Shared by every module's tests through the client module's test-jar (client is the lowest
 * module whose tests wait for anything).
 */
public final class Await {
  /** Long enough for store-and-forward delivery, a registry refresh or a restart on a loaded machine. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final long FIRST_PAUSE_MILLIS = 5;
  private static final long LONGEST_PAUSE_MILLIS = 100;

  private Await() {}

  /** Waits up to {@link #DEFAULT_TIMEOUT} for {@code condition}; fails naming {@code what} was awaited. */
  public static void until(String what, BooleanSupplier condition) throws InterruptedException {
    until(what, DEFAULT_TIMEOUT, condition);
  }

  /**
   * Waits up to {@code timeout} for {@code condition}, checked at once and then after pauses that
   * grow from 5 ms to 100 ms.
   *
   * @param what what is awaited, in words, for the failure message ("the settlement at the insurer")
   * @throws AssertionError if the condition does not hold within the timeout
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    if (!within(timeout, condition)) {
      throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
    }
  }

  /**
   * Like {@link #until(String, Duration, BooleanSupplier)} but reports instead of failing, for a test
   * that publishes what it found (a fault report row) before it asserts.
   *
   * @return whether the condition held within the timeout
   */
  public static boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = FIRST_PAUSE_MILLIS;
    while (!condition.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
      pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
    }
    return true;
  }
}
