package io.hmb.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How much of a pass-through caller's remaining deadline the gateway keeps for itself: the forwarded
 * call to the recipient ends this much earlier than the caller's, so that when the recipient does not
 * answer the gateway still has time to record the failure and answer with its own RECIPIENT_TIMEOUT
 * (with RetryInfo) instead of the caller seeing a bare DEADLINE_EXCEEDED.
 *
 * <p>The margin is {@code fraction} of the time left when the call is forwarded, never less than
 * {@code floor} and never more than {@code ceiling}. A fixed margin was eaten on a busy machine (the
 * failure record is a database commit); a fraction grows with the deadline the caller was willing to
 * give, and the bounds keep short calls as before and long calls from starving the recipient.
 *
 * @param fraction of the remaining time, 0 to {@link #MAX_FRACTION}
 * @param floor the least margin, also for very short deadlines (then the recipient may get no time)
 * @param ceiling the most margin, however long the deadline
 */
public record ForwardMargin(double fraction, Duration floor, Duration ceiling) {
  /** Above this the recipient would get less of the caller's time than the gateway keeps. */
  public static final double MAX_FRACTION = 0.5;
  /** 10% of the time left, 50 ms (the old fixed budget) to 1 s: 200 ms of a 2 s call, 1 s of a 60 s one. */
  public static final ForwardMargin DEFAULTS = new ForwardMargin(0.10, Duration.ofMillis(50), Duration.ofSeconds(1));

  /** The margin to keep out of {@code remaining}, the time the caller has left. */
  public Duration of(Duration remaining) {
    long nanos = (long) (Math.max(0, remaining.toNanos()) * fraction);
    return Duration.ofNanos(Math.min(Math.max(nanos, floor.toNanos()), ceiling.toNanos()));
  }

  /** Problems with the settings, one sentence each (for GatewayConfig.problems). */
  public List<String> problems(Duration maxCallDeadline) {
    List<String> errors = new ArrayList<>();
    if (!(fraction >= 0 && fraction <= MAX_FRACTION)) {
      errors.add("forwardMargin.fraction must be 0 to " + MAX_FRACTION + ", was " + fraction);
    }
    if (floor.isNegative() || ceiling.compareTo(floor) < 0) {
      errors.add("forwardMargin must have 0 <= floor <= ceiling, were " + floor + " and " + ceiling);
    }
    if (ceiling.compareTo(maxCallDeadline) >= 0) {
      errors.add("forwardMargin.ceiling must be less than maxCallDeadline (" + maxCallDeadline + "), was " + ceiling);
    }
    return errors;
  }

  @Override
  public String toString() {
    return Math.round(fraction * 1000) / 10.0 + "% of the time left, " + floor.toMillis() + " ms to "
        + ceiling.toMillis() + " ms";
  }
}
