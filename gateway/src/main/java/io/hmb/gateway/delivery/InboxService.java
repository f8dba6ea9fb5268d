package io.hmb.gateway.delivery;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.AcknowledgeRequest;
import io.hmb.api.v1.AcknowledgeResponse;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SubscribeRequest;
import io.hmb.gateway.server.PeerAuthentication;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull side of delivery: a participant behind a firewall streams its messages (Subscribe) and
 * acknowledges them (Acknowledge). An unacknowledged message is sent again once its acknowledgement
 * timeout passes, with a higher attempt number, and dead-lettered after the last attempt.
 */
public final class InboxService extends DeliveryServiceGrpc.DeliveryServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(InboxService.class);
  static final int DEFAULT_MAX_IN_FLIGHT = 100;
  static final int MAX_IN_FLIGHT_LIMIT = 1000;

  private final DeliveryQueue outbox;
  private final OutboxSignal signal;
  private final DeliveryPolicy policy;
  private final int maxStreams;
  /** Open Subscribe streams per participant on this node. */
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> streams = new java.util.concurrent.ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler;
  private final Clock clock;

  /** @param maxStreams Subscribe streams one participant may hold open at once on this node */
  public InboxService(DeliveryQueue outbox, OutboxSignal signal, DeliveryPolicy policy, int maxStreams,
      ScheduledExecutorService scheduler, Clock clock) {
    this.outbox = outbox;
    this.signal = signal;
    this.policy = policy;
    this.maxStreams = maxStreams;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  @Override
  public void subscribe(SubscribeRequest request, StreamObserver<Delivery> reply) {
    if (request.getMaxInFlight() > MAX_IN_FLIGHT_LIMIT) {
      reply.onError(Errors.of(ErrorReason.PAYLOAD_INVALID, "max_in_flight must be 0 to " + MAX_IN_FLIGHT_LIMIT,
          Map.of("field", "max_in_flight")));
      return;
    }
    int maxInFlight = request.getMaxInFlight() == 0 ? DEFAULT_MAX_IN_FLIGHT : request.getMaxInFlight();
    String recipient = PeerAuthentication.PEER.get();
    java.util.concurrent.atomic.AtomicInteger open = streams.computeIfAbsent(recipient,
        r -> new java.util.concurrent.atomic.AtomicInteger());
    if (open.incrementAndGet() > maxStreams) {
      open.decrementAndGet();
      reply.onError(Errors.retryAfter(ErrorReason.RATE_LIMITED, recipient + " already has " + maxStreams
          + " Subscribe streams open on this gateway node, its limit: close one first",
          Map.of("limit", "subscribe_streams", "max", Integer.toString(maxStreams)), Duration.ofSeconds(5)));
      return;
    }
    new Subscription(recipient, maxInFlight, (ServerCallStreamObserver<Delivery>) reply, open::decrementAndGet).start();
  }

  @Override
  public void acknowledge(AcknowledgeRequest request, StreamObserver<AcknowledgeResponse> reply) {
    String recipient = PeerAuthentication.PEER.get();
    List<String> ids = request.getMessageIdsList();
    try {
      List<String> done = outbox.acknowledgeInbox(recipient, ids, clock.instant());
      java.util.Set<String> known = new java.util.HashSet<>(done);
      List<String> rest = ids.stream().filter(id -> !known.contains(id)).toList();
      if (!rest.isEmpty()) {
        known.addAll(outbox.alreadyAcknowledged(recipient, rest));
      }
      reply.onNext(AcknowledgeResponse.newBuilder()
          .setAcknowledgedCount(done.size())
          .addAllUnknownMessageIds(ids.stream().filter(id -> !known.contains(id)).distinct().toList())
          .build());
      reply.onCompleted();
      if (!done.isEmpty()) {
        signal.inboxRoomFreed(recipient, done.size()); // room in flight: wake the streams
      }
    } catch (java.sql.SQLException e) {
      reply.onError(Errors.retryAfter(ErrorReason.GATEWAY_UNAVAILABLE,
          "acknowledgement not recorded; send it again", Duration.ofSeconds(1)));
    }
  }

  /**
   * Acknowledgements that free room in a full window wake its stream once they add up to this share of the window
   * (1 / 4, and at least one message). Each claim counts everything in flight, and a slow subscriber keeps its window
   * full: refilled after every acknowledgement (the bench's co-insurer acknowledges every 10 ms), a window of 1,000
   * cost a count of about a thousand rows per handful of messages delivered. A window kept three quarters full
   * delivers as fast as one kept full; the poll still claims whatever room there is. (As TCP avoids the "silly
   * window": RFC 1122, 4.2.3.3.)
   */
  static final int REFILL_SHARE = 4;

  /**
   * One subscriber stream: claim, send, wait for a signal or the poll interval, repeat. While its last claim filled
   * the in-flight window (or found no room), a message accepted for it does not trigger a claim: that claim could take
   * nothing, and finding so costs a count of everything in flight (with a slow subscriber, a thousand rows on every
   * message accepted). Acknowledgements on this node of a {@link #REFILL_SHARE} share of the window, the stream
   * becoming ready, and the poll (for acknowledgements on other nodes and ended leases) still do.
   */
  private final class Subscription implements OutboxSignal.InboxWake {
    private final String recipient;
    private final int maxInFlight;
    private final ServerCallStreamObserver<Delivery> stream;
    private final Runnable onClose;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether the last claim used up the room it found; cleared by acknowledgements on this node. */
    private volatile boolean windowFull;
    /** Acknowledged on this node since the last claim began. */
    private final java.util.concurrent.atomic.AtomicInteger freed = new java.util.concurrent.atomic.AtomicInteger();
    private final int refillAt;
    private volatile java.util.concurrent.ScheduledFuture<?> poll;
    private Instant nextDeadLetterCheck = Instant.MIN;

    Subscription(String recipient, int maxInFlight, ServerCallStreamObserver<Delivery> stream, Runnable onClose) {
      this.recipient = recipient;
      this.maxInFlight = maxInFlight;
      this.refillAt = Math.max(1, maxInFlight / REFILL_SHARE);
      this.stream = stream;
      this.onClose = onClose;
    }

    void start() {
      stream.setOnCancelHandler(this::close);
      stream.setOnReadyHandler(this::scheduleNow);
      signal.listen(recipient, this);
      // The poll finds messages accepted by other nodes and redeliveries whose ack timeout passed.
      poll = scheduler.scheduleWithFixedDelay(this::tick, 0, policy.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void messageAccepted() {
      if (!windowFull) {
        scheduleNow();
      }
    }

    @Override
    public void roomFreed(int acknowledged) {
      if (!windowFull || freed.addAndGet(acknowledged) >= refillAt) {
        windowFull = false;
        scheduleNow();
      }
    }

    /** Run a pass now (unless one is already waiting to run). */
    private void scheduleNow() {
      if (!closed.get() && wakePending.compareAndSet(false, true)) {
        scheduler.execute(this::tick);
      }
    }

    private synchronized void tick() {
      wakePending.set(false);
      if (closed.get()) {
        return;
      }
      try {
        if (stream.isReady()) {
          Instant now = clock.instant();
          if (now.isAfter(nextDeadLetterCheck)) { // once per poll interval, not on every wake-up
            outbox.deadLetterExhaustedInbox(recipient, policy.maxAttempts(), now);
            nextDeadLetterCheck = now.plus(policy.pollInterval());
          }
          freed.set(0); // acknowledged from here on may not be counted as room by this claim
          DeliveryQueue.InboxClaim claim = outbox.claimInbox(recipient, now, now.plus(policy.ackTimeout()), maxInFlight);
          windowFull = claim.filledWindow();
          for (ClaimedMessage m : claim.messages()) {
            stream.onNext(toDelivery(m));
          }
        }
      } catch (Exception e) {
        log.warn("inbox pass failed recipient={} error={}", recipient, e.toString());
      }
    }

    private void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      onClose.run(); // the stream's place is free for the participant's next Subscribe
      signal.unlisten(recipient, this);
      if (poll != null) {
        poll.cancel(false);
      }
    }

    private Delivery toDelivery(ClaimedMessage m) throws InvalidProtocolBufferException {
      return Delivery.newBuilder()
          .setEnvelope(SealedEnvelope.parseFrom(ByteString.copyFrom(m.envelope())))
          .setMessageId(m.ref().messageId())
          .setAttempt(m.attempts())
          .setAcceptTime(Timestamps.fromMillis(m.acceptedAt().toEpochMilli()))
          .build();
    }
  }
}
