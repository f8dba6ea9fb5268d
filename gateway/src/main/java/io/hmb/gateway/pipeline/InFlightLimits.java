package io.hmb.gateway.pipeline;

import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many pass-through calls may be in flight at once on this node (admitted and waiting for the
 * recipient's answer), per sender and per recipient. A recipient that stops answering keeps its callers'
 * calls open until their deadlines; without a bound one caller's calls occupy as much of the gateway as
 * it likes. Over either bound the call is refused before anything is recorded: RATE_LIMITED, with
 * RetryInfo and metadata {@code limit} (which bound) and {@code max}. Refusing never waits.
 */
public final class InFlightLimits {
  static final Duration RETRY_AFTER = Duration.ofMillis(500);
  private final int perSender;
  private final int perRecipient;
  private final Map<String, AtomicInteger> senders = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> recipients = new ConcurrentHashMap<>();

  public InFlightLimits(int perSender, int perRecipient) {
    this.perSender = perSender;
    this.perRecipient = perRecipient;
  }

  /** No bound (tests of other parts). */
  public static InFlightLimits unbounded() {
    return new InFlightLimits(Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /** A place taken for one call; {@link #release()} gives it back, once however often it is called. */
  public interface Permit {
    void release();
  }

  /** Takes a place for sender and recipient, or throws RATE_LIMITED naming the bound that was reached. */
  public Permit acquire(String sender, String recipient) {
    AtomicInteger s = take(senders, sender, perSender, "pass_through_in_flight_per_sender",
        sender + " has " + perSender + " pass-through calls in flight, its limit on this gateway node");
    AtomicInteger r;
    try {
      r = take(recipients, recipient, perRecipient, "pass_through_in_flight_per_recipient",
          recipient + " has " + perRecipient + " pass-through calls in flight to it, its limit on this gateway node");
    } catch (RuntimeException refused) {
      s.decrementAndGet();
      throw refused;
    }
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        s.decrementAndGet();
        r.decrementAndGet();
      }
    };
  }

  /** Calls in flight from a sender now (for tests and metrics). */
  int inFlightFrom(String sender) {
    AtomicInteger n = senders.get(sender);
    return n == null ? 0 : n.get();
  }

  private static AtomicInteger take(Map<String, AtomicInteger> counts, String code, int max, String limit,
      String message) {
    AtomicInteger n = counts.computeIfAbsent(code, c -> new AtomicInteger());
    if (n.incrementAndGet() > max) {
      n.decrementAndGet();
      throw Errors.retryAfter(ErrorReason.RATE_LIMITED, message,
          Map.of("limit", limit, "max", Integer.toString(max)), RETRY_AFTER);
    }
    return n;
  }
}
