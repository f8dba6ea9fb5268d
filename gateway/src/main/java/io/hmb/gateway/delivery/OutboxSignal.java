package io.hmb.gateway.delivery;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Wakes the delivery loops of this node as soon as a message is accepted, instead of waiting for the
 * next poll. Other nodes find the message at their next poll: the database stays the only truth.
 */
public final class OutboxSignal {
  private final Object outboxMonitor = new Object();
  private final Map<String, Set<Runnable>> inboxListeners = new ConcurrentHashMap<>();
  private boolean pending;

  public void messageAccepted(String recipient) {
    synchronized (outboxMonitor) {
      pending = true;
      outboxMonitor.notifyAll();
    }
    inboxListeners.getOrDefault(recipient, Set.of()).forEach(Runnable::run);
  }

  /** Waits until a message is accepted or the timeout passes. */
  void awaitWork(long timeoutMillis) throws InterruptedException {
    synchronized (outboxMonitor) {
      if (!pending) {
        outboxMonitor.wait(timeoutMillis);
      }
      pending = false;
    }
  }

  void listen(String recipient, Runnable wake) {
    inboxListeners.computeIfAbsent(recipient, r -> new CopyOnWriteArraySet<>()).add(wake);
  }

  void unlisten(String recipient, Runnable wake) {
    inboxListeners.getOrDefault(recipient, Set.of()).remove(wake);
  }
}
