package io.hmb.gateway.scale;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.EnvelopeHeader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the recipients received, pushed or pulled, from either node. A recipient processes a message
 * the first time its message_id arrives and only acknowledges a redelivery (the contract); the ledger
 * keeps both, in arrival order, and lets the test wait until given messages were processed.
 */
final class DeliveryLedger {
  /**
   * One delivery as the recipient saw it: sender, recipient and key from the clear header; {@code via}
   * the node that pushed it, or "inbox".
   */
  record Received(String messageId, String sender, String recipient, String idempotencyKey, int attempt, String via,
      long atNanos) {}

  private final List<Received> arrivals = new ArrayList<>();
  private final Map<String, Received> processed = new LinkedHashMap<>();

  /** Records a delivery; true when it is the first of its message_id (the recipient processes it). */
  synchronized boolean record(Delivery delivery, String via) {
    EnvelopeHeader header;
    try {
      header = EnvelopeHeader.parseFrom(delivery.getEnvelope().getHeader());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("a delivered envelope has an unreadable header", e);
    }
    Received r = new Received(delivery.getMessageId(), header.getSender(), header.getRecipient(),
        header.getIdempotencyKey(), delivery.getAttempt(), via, System.nanoTime());
    arrivals.add(r);
    boolean first = processed.putIfAbsent(r.messageId(), r) == null;
    notifyAll();
    return first;
  }

  /** Waits until every one of {@code messageIds} was processed; false if the time ran out first. */
  synchronized boolean awaitProcessed(Collection<String> messageIds, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!processed.keySet().containsAll(messageIds)) {
      long leftMillis = (end - System.nanoTime()) / 1_000_000;
      if (leftMillis <= 0) {
        return false;
      }
      wait(leftMillis);
    }
    return true;
  }

  /** Waits until a message arrived at least {@code count} times; false if the time ran out first. */
  synchronized boolean awaitArrivals(String messageId, int count, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (arrivals(messageId).size() < count) {
      long leftMillis = (end - System.nanoTime()) / 1_000_000;
      if (leftMillis <= 0) {
        return false;
      }
      wait(leftMillis);
    }
    return true;
  }

  /** Every delivery of one message, in arrival order. */
  synchronized List<Received> arrivals(String messageId) {
    return arrivals.stream().filter(r -> r.messageId().equals(messageId)).toList();
  }

  synchronized Set<String> processedIds() {
    return Set.copyOf(processed.keySet());
  }

  /** Message ids of one sender-recipient pair in the order the recipient first processed them. */
  synchronized List<String> processedInOrder(String sender, String recipient) {
    return processed.values().stream().filter(r -> r.sender().equals(sender) && r.recipient().equals(recipient))
        .map(Received::messageId).toList();
  }

  /** Message ids that arrived more than once, each with its arrivals in order. */
  synchronized Map<String, List<Received>> redelivered() {
    Map<String, List<Received>> out = new LinkedHashMap<>();
    for (String id : processed.keySet()) {
      List<Received> all = arrivals(id);
      if (all.size() > 1) {
        out.put(id, all);
      }
    }
    return out;
  }

  /** Deliveries of a message that had already arrived (the recipient only acknowledged them again). */
  synchronized int redeliveries() {
    return arrivals.size() - processed.size();
  }

  /**
   * Idempotency keys processed under more than one message_id: one operation admitted twice, which the
   * recipient's message_id check cannot catch. Keyed "sender/key", valued by how many messages.
   */
  synchronized Map<String, Integer> keysProcessedMoreThanOnce() {
    Map<String, Integer> perKey = new TreeMap<>();
    processed.values().forEach(r -> perKey.merge(r.sender() + "/" + r.idempotencyKey(), 1, Integer::sum));
    perKey.values().removeIf(n -> n == 1);
    return perKey;
  }
}
