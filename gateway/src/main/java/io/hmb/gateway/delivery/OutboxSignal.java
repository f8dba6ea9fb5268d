package io.hmb.gateway.delivery;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Wakes the delivery loops of this node as soon as a message is accepted, instead of waiting for the
 * next poll. Other nodes find the message at their next poll: the database stays the only truth.
 *
 * <p>The push workers are woken only for a recipient the gateway pushes to (one with an endpoint): each
 * wake-up costs them a query, and most store-and-forward recipients pull their inbox instead. A recipient
 * whose endpoint is newer than the registry snapshot the caller saw is found at the next poll.
 */
public final class OutboxSignal {
  private final Object outboxMonitor = new Object();
  private final Map<String, Set<InboxWake>> inboxListeners = new ConcurrentHashMap<>();
  private boolean pending;

  /**
   * A message for {@code recipient} was accepted on this node.
   *
   * @param pushed whether the recipient has an endpoint the push workers deliver to
   */
  public void messageAccepted(String recipient, boolean pushed) {
    if (pushed) {
      synchronized (outboxMonitor) {
        pending = true;
        outboxMonitor.notifyAll();
      }
    }
    inboxListeners.getOrDefault(recipient, Set.of()).forEach(InboxWake::messageAccepted);
  }

  /** The recipient acknowledged inbox deliveries on this node: its streams here have room in flight again. */
  public void inboxRoomFreed(String recipient, int acknowledged) {
    inboxListeners.getOrDefault(recipient, Set.of()).forEach(w -> w.roomFreed(acknowledged));
  }

  /** Waits until a message for a pushed recipient is accepted or the timeout passes. */
  void awaitWork(long timeoutMillis) throws InterruptedException {
    synchronized (outboxMonitor) {
      if (!pending) {
        outboxMonitor.wait(timeoutMillis);
      }
      pending = false;
    }
  }

  void listen(String recipient, InboxWake wake) {
    inboxListeners.computeIfAbsent(recipient, r -> new CopyOnWriteArraySet<>()).add(wake);
  }

  void unlisten(String recipient, InboxWake wake) {
    inboxListeners.getOrDefault(recipient, Set.of()).remove(wake);
  }

  /** How a subscriber stream on this node hears that it may have work. */
  interface InboxWake {
    /** A message for its recipient was accepted on this node. */
    void messageAccepted();

    /** Its recipient acknowledged this many deliveries on this node: there is room in flight again. */
    void roomFreed(int acknowledged);
  }
}
