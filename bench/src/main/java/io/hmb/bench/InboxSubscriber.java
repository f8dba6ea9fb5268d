package io.hmb.bench;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.AcknowledgeRequest;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.SubscribeRequest;
import io.hmb.security.Opener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The co-insurer pulling its inbox: one Subscribe stream (or one per gateway node) with a high
 * max_in_flight, Acknowledge in batches every few milliseconds. It checks exactly-once from the
 * receiving end: every message the sender registered (before sending, since a delivery can overtake
 * the sender's Acceptance) must arrive once; a delivery of an id not pending is a duplicate. It opens
 * each delivery (verify, unwrap, decrypt) as the co-insurer would, so that a settlement does the same
 * cryptography through the gateway as in its crypto ceiling, and the two compare. It opens on one thread
 * per core, as a co-insurer's backend would, not on the stream's callback thread: one thread opening
 * every delivery set the delivery rate, and a settlement step is charged its CPU until the drain ends.
 * The stream's max_in_flight bounds how many deliveries wait for an opener.
 */
final class InboxSubscriber implements AutoCloseable {
  static final int MAX_IN_FLIGHT = 1000;
  private static final int ACK_BATCH = 500;
  private static final long ACK_EVERY_MS = 10;

  private final Party owner;
  private final Party sender;
  private final Opener opener;
  private final List<? extends Channel> streamChannels;
  /** message_id -> System.nanoTime() when the sender started the call. */
  private final Map<String, Long> pending = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> toAck = new ConcurrentLinkedQueue<>();
  /** Deliveries handed to an opener and not yet queued for acknowledgement. */
  private final AtomicLong opening = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final ScheduledExecutorService acker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-inbox-acker");
    t.setDaemon(true);
    return t;
  });
  private final ExecutorService openers = Executors.newFixedThreadPool(
      Runtime.getRuntime().availableProcessors(), r -> {
        Thread t = new Thread(r, "bench-inbox-opener");
        t.setDaemon(true);
        return t;
      });
  private final Context.CancellableContext stream = Context.current().withCancellation();
  private volatile LatencyRecorder deliveryLatency = new LatencyRecorder();

  /** One Subscribe stream over the owner's channel, for messages sealed by {@code sender}. */
  InboxSubscriber(Party owner, Party sender) {
    this(owner, sender, List.of(owner.channel));
  }

  /**
   * One Subscribe stream over each of {@code streamChannels} (e.g. one per gateway node); acknowledgements
   * go over the owner's channel, which any node may answer.
   */
  InboxSubscriber(Party owner, Party sender, List<? extends Channel> streamChannels) {
    this.owner = owner;
    this.sender = sender;
    this.opener = Messages.settlementOpener(owner);
    this.streamChannels = streamChannels;
  }

  void start() {
    stream.run(() -> streamChannels.forEach(this::subscribe));
    acker.scheduleWithFixedDelay(this::flushAcks, ACK_EVERY_MS, ACK_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  private void subscribe(Channel channel) {
    DeliveryServiceGrpc.newStub(channel).subscribe(
        SubscribeRequest.newBuilder().setMaxInFlight(MAX_IN_FLIGHT).build(), new StreamObserver<>() {
          @Override
          public void onNext(Delivery d) {
            opening.incrementAndGet();
            openers.execute(() -> {
              try {
                received(d);
              } finally {
                opening.decrementAndGet();
              }
            });
          }

          @Override
          public void onError(Throwable t) {
            if (!stream.isCancelled()) {
              error("inbox stream ended: " + t);
            }
          }

          @Override
          public void onCompleted() {
            error("inbox stream completed by the gateway");
          }
        });
  }

  /** Called by the sender before it submits, so that a fast delivery finds the id. */
  void expect(String messageId) {
    pending.put(messageId, System.nanoTime());
  }

  /** The submission failed: the message may or may not arrive; stop waiting for it. */
  void forget(String messageId) {
    pending.remove(messageId);
  }

  private void received(Delivery d) {
    String messageId = d.getMessageId();
    try {
      Messages.openSettlement(opener, owner, sender, d.getEnvelope());
    } catch (Exception e) {
      error("could not open delivery " + messageId + ": " + e);
    }
    Long sentAt = pending.remove(messageId);
    if (sentAt == null) {
      duplicates.incrementAndGet();
    } else {
      received.incrementAndGet();
      LatencyRecorder r = deliveryLatency;
      synchronized (r) {
        r.record((System.nanoTime() - sentAt) / 1000);
      }
    }
    toAck.add(messageId);
  }

  private void flushAcks() {
    try {
      while (!toAck.isEmpty()) {
        List<String> batch = new ArrayList<>(ACK_BATCH);
        String id;
        while (batch.size() < ACK_BATCH && (id = toAck.poll()) != null) {
          batch.add(id);
        }
        var answer = DeliveryServiceGrpc.newBlockingStub(owner.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .acknowledge(AcknowledgeRequest.newBuilder().addAllMessageIds(batch).build());
        acknowledged.addAndGet(answer.getAcknowledgedCount());
      }
    } catch (RuntimeException e) {
      error("acknowledge failed: " + e);
    }
  }

  private void error(String what) {
    errors.incrementAndGet();
    firstError.compareAndSet(null, what);
  }

  /** Starts a new delivery-latency window and returns the previous one. */
  LatencyRecorder swapDeliveryLatency() {
    LatencyRecorder old = deliveryLatency;
    deliveryLatency = new LatencyRecorder();
    return old;
  }

  /**
   * Waits until nothing is pending, being opened or unacknowledged, at most {@code timeoutMs};
   * returns the nanoseconds it took, or -1 on timeout.
   */
  long awaitDrained(long timeoutMs) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + timeoutMs * 1_000_000;
    while (System.nanoTime() < end) {
      if (pending.isEmpty() && opening.get() == 0 && toAck.isEmpty() && acknowledged.get() >= received.get()) {
        return System.nanoTime() - start;
      }
      Thread.sleep(2);
    }
    return -1;
  }

  long pendingCount() {
    return pending.size();
  }

  long received() {
    return received.get();
  }

  long duplicates() {
    return duplicates.get();
  }

  long acknowledged() {
    return acknowledged.get();
  }

  long errors() {
    return errors.get();
  }

  String firstError() {
    return firstError.get();
  }

  @Override
  public void close() throws InterruptedException {
    stream.cancel(null);
    openers.shutdownNow();
    acker.shutdownNow();
    openers.awaitTermination(5, TimeUnit.SECONDS);
    acker.awaitTermination(5, TimeUnit.SECONDS);
  }
}
