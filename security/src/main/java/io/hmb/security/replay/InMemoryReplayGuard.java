package io.hmb.security.replay;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link ReplayGuard} for one process, with bounded memory. Entries live until their message's
 * expire_time and are evicted lazily (oldest expiry first) on every call. When {@code maxMessages}
 * unexpired messages are held, new ones are refused with {@link Outcome#FULL}: it fails closed rather
 * than forgetting entries that could then be replayed. Size it as peak messages/s x max lifetime of
 * the messages you accept, or keep lifetimes short. Thread-safe (one lock; each call is O(log n)).
 */
public final class InMemoryReplayGuard implements ReplayGuard {
  /** Default capacity: one million messages (roughly 200 MB of heap at worst). */
  public static final int DEFAULT_MAX_MESSAGES = 1_000_000;

  private record MessageKey(String sender, String messageId) {}

  private record NonceKey(String sender, String nonceHex) {}

  private record Expiry(Instant expireTime, MessageKey message, NonceKey nonce) {}

  private final Clock clock;
  private final int maxMessages;
  private final Map<MessageKey, Instant> messages = new HashMap<>();
  private final Map<NonceKey, Instant> nonces = new HashMap<>();
  private final PriorityQueue<Expiry> byExpiry =
      new PriorityQueue<>((a, b) -> a.expireTime().compareTo(b.expireTime()));

  public InMemoryReplayGuard(Clock clock, int maxMessages) {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be positive");
    }
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxMessages = maxMessages;
  }

  public InMemoryReplayGuard(Clock clock) {
    this(clock, DEFAULT_MAX_MESSAGES);
  }

  @Override
  public synchronized Outcome checkAndRecord(String sender, String messageId, byte[] nonce, Instant expireTime) {
    evictExpired(clock.instant());
    MessageKey mk = new MessageKey(sender, messageId);
    NonceKey nk = new NonceKey(sender, HexFormat.of().formatHex(nonce));
    if (messages.containsKey(mk) || nonces.containsKey(nk)) {
      return Outcome.REPLAYED;
    }
    if (byExpiry.size() >= maxMessages) {
      return Outcome.FULL;
    }
    messages.put(mk, expireTime);
    nonces.put(nk, expireTime);
    byExpiry.add(new Expiry(expireTime, mk, nk));
    return Outcome.FIRST_SEEN;
  }

  /** Number of messages currently remembered. */
  public synchronized int size() {
    return byExpiry.size();
  }

  private void evictExpired(Instant now) {
    while (!byExpiry.isEmpty() && !byExpiry.peek().expireTime().isAfter(now)) {
      Expiry e = byExpiry.poll();
      messages.remove(e.message(), e.expireTime());
      nonces.remove(e.nonce(), e.expireTime());
    }
  }
}
