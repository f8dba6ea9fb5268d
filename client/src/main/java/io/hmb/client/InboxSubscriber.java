package io.hmb.client;

import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.AcknowledgeRequest;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.PolicyRegistration;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.SettlementCancellation;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SubscribeRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pulls this participant's store-and-forward messages from the gateway's inbox (DeliveryService), for
 * participants behind a firewall that expose no port. Register typed handlers, {@link #start()}, and
 * {@link #close()} when done.
 *
 * <p><b>Guarantees.</b> Each delivery is opened and verified like a pushed one (see
 * {@link RecipientEndpoint}), handed to its handler, and acknowledged only after the handler returned;
 * a handler that throws leaves the message unacknowledged, so the gateway sends it again after its
 * acknowledgement timeout. Handlers run one at a time on one thread owned by this subscriber, in the
 * order the gateway streams (oldest first, in order per sender). A repeat of a recently processed
 * message_id is acknowledged without calling the handler. When the stream breaks, it subscribes again
 * after a backoff (doubling from {@link Builder#backoff initial} to max, reset by the next delivery);
 * each subscription has a deadline ({@link Builder#streamLifetime}) and is renewed when it ends.
 * {@link #close()} cancels the stream and waits, bounded, for a running handler to finish.
 *
 * <p><b>Does not guarantee.</b> Durable deduplication (as for {@link RecipientEndpoint}: deduplicate by
 * message_id in your database); a message that never opens (bad signature, unknown sender) is left
 * unacknowledged and ends in the gateway's dead letters after its last attempt, which is where an
 * operator looks. It does not own the channel.
 */
public final class InboxSubscriber implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(InboxSubscriber.class.getName());
  public static final int DEFAULT_MAX_IN_FLIGHT = 16;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STREAM_LIFETIME = Duration.ofMinutes(10);
  /** How long {@link #close()} waits for a running handler. */
  public static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final GatewayClient client;
  private final DeliveryProcessor processor;
  private final int maxInFlight;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration streamLifetime;
  private final ScheduledExecutorService worker;
  private volatile boolean stopped;
  private volatile boolean started;
  private volatile Context.CancellableContext stream;
  private Duration backoff; // touched only on the worker thread

  private InboxSubscriber(Builder b) {
    this.client = b.client;
    this.processor = new DeliveryProcessor(new Receiver(b.client.participant(), b.client.keys(),
        b.client.directory(), b.client.clock(), RecipientEndpoint.DEFAULT_ANSWER_LIFETIME), b.deliveries.copy(),
        b.dedupCapacity);
    this.maxInFlight = b.maxInFlight;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.streamLifetime = b.streamLifetime;
    this.backoff = b.initialBackoff;
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hmb-inbox-" + b.client.participant());
      t.setDaemon(true);
      return t;
    });
  }

  /** A subscriber for the client's participant, on the client's channel, with its keys and directory. */
  public static Builder builder(GatewayClient client) {
    return new Builder(client);
  }

  /** Subscribes; returns at once. Calling it twice is an error. */
  public synchronized InboxSubscriber start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    worker.execute(this::subscribe);
    return this;
  }

  /**
   * Stops: cancels the stream, lets a running handler finish (waits at most {@link #CLOSE_WAIT}, then
   * interrupts it), releases the thread. Deliveries not yet handled stay unacknowledged and come again.
   */
  @Override
  public void close() {
    stopped = true;
    Context.CancellableContext s = stream;
    if (s != null) {
      s.cancel(null);
    }
    worker.shutdown();
    try {
      if (!worker.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Runs on the worker thread. */
  private void subscribe() {
    if (stopped) {
      return;
    }
    Context.CancellableContext ctx = Context.current().withCancellation();
    stream = ctx;
    SubscribeRequest request = SubscribeRequest.newBuilder().setMaxInFlight(maxInFlight).build();
    ctx.run(() -> ClientCalls.asyncServerStreamingCall(
        client.channel().newCall(DeliveryServiceGrpc.getSubscribeMethod(),
            CallOptions.DEFAULT.withDeadlineAfter(streamLifetime.toMillis(), TimeUnit.MILLISECONDS)),
        request, new StreamObserver<Delivery>() {
          @Override
          public void onNext(Delivery d) {
            execute(() -> handle(d));
          }

          @Override
          public void onError(Throwable t) {
            ctx.cancel(null);
            Status status = Status.fromThrowable(t);
            boolean renewal = status.getCode() == Status.Code.DEADLINE_EXCEEDED;
            if (!stopped && !renewal) {
              LOG.log(System.Logger.Level.WARNING, "inbox stream broke participant={0} status={1} reason={2}",
                  client.participant(), status.getCode(), Errors.reason(t).map(Enum::name).orElse("-"));
            }
            execute(() -> resubscribe(renewal));
          }

          @Override
          public void onCompleted() {
            ctx.cancel(null);
            execute(() -> resubscribe(false));
          }
        }));
  }

  private void resubscribe(boolean immediately) {
    if (stopped) {
      return;
    }
    if (immediately) {
      subscribe();
      return;
    }
    Duration wait = backoff;
    backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
    try {
      worker.schedule(this::subscribe, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // close() is under way
    }
  }

  private void handle(Delivery d) {
    if (stopped) {
      return; // unacknowledged: it comes again on the next subscription
    }
    try {
      processor.process(d);
      backoff = initialBackoff;
      acknowledge(d.getMessageId());
    } catch (StatusRuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "delivery not processed, left unacknowledged messageId={0} attempt={1} "
          + "status={2} reason={3}", d.getMessageId(), d.getAttempt(), e.getStatus().getCode(),
          Errors.reason(e).map(Enum::name).orElse("-"));
    }
  }

  private void acknowledge(String messageId) {
    try {
      ClientCalls.blockingUnaryCall(client.channel(), DeliveryServiceGrpc.getAcknowledgeMethod(),
          CallOptions.DEFAULT.withDeadlineAfter(client.defaultDeadline().toMillis(), TimeUnit.MILLISECONDS),
          AcknowledgeRequest.newBuilder().addMessageIds(messageId).build());
    } catch (StatusRuntimeException e) {
      // The gateway sends it again; the repeat is dropped here (or by your durable dedup after a restart).
      LOG.log(System.Logger.Level.WARNING, "acknowledgement failed messageId={0} status={1}", messageId,
          e.getStatus().getCode());
    }
  }

  private void execute(Runnable r) {
    try {
      worker.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // close() is under way: the delivery stays unacknowledged and comes again
    }
  }

  @Override
  public String toString() {
    return "InboxSubscriber{participant=" + client.participant() + ", maxInFlight=" + maxInFlight
        + ", stopped=" + stopped + "}";
  }

  /** Registers handlers and settings; each message type at most once. */
  public static final class Builder {
    private final GatewayClient client;
    private final DeliveryRouting deliveries = new DeliveryRouting();
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration streamLifetime = DEFAULT_STREAM_LIFETIME;
    private int dedupCapacity = RecipientEndpoint.DEFAULT_DEDUP_CAPACITY;

    private Builder(GatewayClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** Unacknowledged deliveries the gateway may have outstanding (1-1000). */
    public Builder maxInFlight(int n) {
      if (n < 1 || n > 1000) {
        throw new IllegalArgumentException("maxInFlight must be 1 to 1000");
      }
      this.maxInFlight = n;
      return this;
    }

    /** Wait before resubscribing after a broken stream: starts at {@code initial}, doubles up to {@code max}. */
    public Builder backoff(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero() || initial.compareTo(max) > 0) {
        throw new IllegalArgumentException("backoff must be positive with initial <= max");
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /** Deadline of each subscription; when it passes, the subscriber subscribes again at once. */
    public Builder streamLifetime(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("streamLifetime must be positive");
      }
      this.streamLifetime = d;
      return this;
    }

    /** How many processed message ids to remember for deduplication (memory, not durable). */
    public Builder dedupCapacity(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("dedupCapacity must be positive");
      }
      this.dedupCapacity = n;
      return this;
    }

    public Builder onSettlementData(DeliveryHandler<SettlementData> h) {
      deliveries.onSettlementData(h);
      return this;
    }

    public Builder onSettlementCancellation(DeliveryHandler<SettlementCancellation> h) {
      deliveries.onSettlementCancellation(h);
      return this;
    }

    public Builder onClaimResult(DeliveryHandler<ClaimResult> h) {
      deliveries.onClaimResult(h);
      return this;
    }

    public Builder onPolicyRegistration(DeliveryHandler<PolicyRegistration> h) {
      deliveries.onPolicyRegistration(h);
      return this;
    }

    public Builder onReconciliationReport(DeliveryHandler<ReconciliationReport> h) {
      deliveries.onReconciliationReport(h);
      return this;
    }

    public InboxSubscriber build() {
      return new InboxSubscriber(this);
    }
  }
}
