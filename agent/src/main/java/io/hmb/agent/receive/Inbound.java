package io.hmb.agent.receive;

import com.google.protobuf.MessageLite;
import io.hmb.agent.store.DurableQueue;
import io.hmb.client.MessageContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Received messages not yet taken by the local system: STATE/inbound, a {@link DurableQueue} keyed by the
 * gateway's message_id. {@link #take} is every delivery handler's body: it returns only once the message is
 * on disk (or was already, pending or done), so the SDK's acknowledgement to the gateway means "on the
 * agent's disk". A repeat (a redelivery after a lost acknowledgement, a restart) is recognised by its id
 * and not stored again. Waiters (the long-poll route, the webhook dispatcher) are woken on each arrival.
 */
final class Inbound implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);

  private final DurableQueue queue;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();

  Inbound(DurableQueue queue) {
    this.queue = queue;
  }

  /** The delivery handler: stores the message durably unless its id is already pending or done. */
  void take(MessageLite payload, MessageContext context) {
    store(ReceivedMessage.of(payload, context));
  }

  /** @return true if stored now, false if the id was there already (a repeat) */
  boolean store(ReceivedMessage message) {
    byte[] json = message.toJson();
    lock.lock();
    try {
      Optional<DurableQueue.Entry> there = queue.putIfAbsent(message.id(), json);
      if (there.isPresent()) {
        LOG.info("received again, already {} messageId={} type={} attempt={}",
            there.get().record().length == 0 ? "taken" : "pending", message.id(), message.type(), message.attempt());
        return false;
      }
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    LOG.info("received messageId={} type={} sender={} attempt={}", message.id(), message.type(), message.sender(),
        message.attempt());
    return true;
  }

  /**
   * The oldest {@code max} pending messages (their JSON), waiting up to {@code wait} for one to arrive when
   * none is pending. Interruptible (the agent stopping).
   */
  List<DurableQueue.Entry> awaitPending(int max, Duration wait) throws InterruptedException {
    long nanos = wait.toNanos();
    lock.lockInterruptibly();
    try {
      while (queue.pendingCount() == 0 && nanos > 0) {
        nanos = arrived.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
    return queue.pendingEntries(max);
  }

  /** Waits up to {@code wait} until something is pending; true if something is. */
  boolean awaitAny(Duration wait) throws InterruptedException {
    long nanos = wait.toNanos();
    lock.lockInterruptibly();
    try {
      while (queue.pendingCount() == 0 && nanos > 0) {
        nanos = arrived.awaitNanos(nanos);
      }
      return queue.pendingCount() > 0;
    } finally {
      lock.unlock();
    }
  }

  Optional<DurableQueue.Entry> oldest() {
    List<DurableQueue.Entry> head = queue.pendingEntries(1);
    return head.isEmpty() ? Optional.empty() : Optional.of(head.get(0));
  }

  /** Marks a message taken. */
  Acked acknowledge(String id) {
    if (!DurableQueue.isValidKey(id)) {
      return Acked.UNKNOWN;
    }
    if (queue.markDone(id)) {
      LOG.info("taken by the local system messageId={}", id);
      return Acked.NOW;
    }
    return queue.isDone(id) ? Acked.BEFORE : Acked.UNKNOWN;
  }

  enum Acked { NOW, BEFORE, UNKNOWN }

  int pendingCount() {
    return queue.pendingCount();
  }

  boolean isDone(String id) {
    return queue.isDone(id);
  }

  @Override
  public void close() {
    try {
      queue.close();
    } catch (IOException e) {
      LOG.warn("could not release the inbound queue's lock: {}", e.getClass().getSimpleName());
    }
  }
}
