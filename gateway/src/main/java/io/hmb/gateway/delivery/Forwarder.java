package io.hmb.gateway.delivery;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ChannelCredentials;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ConnectivityState;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Calls participants' RecipientService endpoints over mTLS, one cached channel per recipient and endpoint,
 * each made with credentials that require the endpoint to present that recipient's identity (an endpoint
 * pointed at a server holding another participant's certificate fails the handshake: UNAVAILABLE). Every call
 * carries a deadline; a pass-through uses what is left of the caller's deadline minus the gateway's
 * own {@link ForwardMargin}, so the caller hears back before its deadline expires.
 */
public final class Forwarder implements AutoCloseable {
  /** How long a call waits for a fresh connection attempt to a recipient that was unreachable. */
  static final Duration CONNECT_ATTEMPT_WAIT = Duration.ofSeconds(2);

  /** Opens the channel to a recipient's endpoint; called once per (recipient, endpoint), the channel is then cached. */
  @FunctionalInterface
  public interface Channels {
    ManagedChannel open(String recipient, String endpoint);
  }

  /** The credentials of a channel to {@code recipient}'s endpoint (they name whom the endpoint must be). */
  @FunctionalInterface
  public interface Credentials {
    ChannelCredentials to(String recipient) throws java.security.GeneralSecurityException;
  }

  private final Channels opener;
  private final ForwardMargin margin;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  /**
   * @param answerExecutor a bounded pool that runs answer callbacks (signature check, recording the
   *     answer); gRPC's default is an unbounded cached pool
   */
  public Forwarder(Credentials credentials, ForwardMargin margin, java.util.concurrent.Executor answerExecutor) {
    this((recipient, endpoint) -> {
      try {
        return Grpc.newChannelBuilder(endpoint, credentials.to(recipient)).executor(answerExecutor).build();
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("no TLS credentials for " + recipient + "'s endpoint", e);
      }
    }, margin);
  }

  /** Over channels the caller opens, e.g. in-process ones to a test's recipient; closes them in {@link #close()}. */
  public Forwarder(Channels opener, ForwardMargin margin) {
    this.opener = opener;
    this.margin = margin;
  }

  /**
   * Forward a pass-through request to {@code recipient}; the future fails with the recipient's status on
   * error. Never blocks the caller's thread: a recipient that was unreachable gets one fresh connection
   * attempt, awaited by callbacks ({@link #afterOneConnectionAttempt}), not by a handler thread.
   */
  public ListenableFuture<SealedEnvelope> exchange(String recipient, String endpoint, SealedEnvelope envelope,
      Deadline callerDeadline) {
    Deadline deadline = forwardDeadline(callerDeadline);
    ManagedChannel channel = channel(recipient, endpoint);
    if (channel.getState(true) != ConnectivityState.TRANSIENT_FAILURE) {
      return RecipientServiceGrpc.newFutureStub(channel).withDeadline(deadline).exchange(envelope);
    }
    channel.resetConnectBackoff();
    com.google.common.util.concurrent.SettableFuture<SealedEnvelope> answer =
        com.google.common.util.concurrent.SettableFuture.create();
    long waitNanos = Math.min(CONNECT_ATTEMPT_WAIT.toNanos(), deadline.timeRemaining(TimeUnit.NANOSECONDS));
    afterOneConnectionAttempt(channel, waitNanos, () ->
        answer.setFuture(RecipientServiceGrpc.newFutureStub(channel).withDeadline(deadline).exchange(envelope)));
    return answer;
  }

  /** The deadline of the forwarded call: the caller's, less the margin of the time it has left now. */
  Deadline forwardDeadline(Deadline callerDeadline) {
    Duration left = Duration.ofNanos(callerDeadline.timeRemaining(TimeUnit.NANOSECONDS));
    return callerDeadline.offset(-margin.of(left).toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Push a store-and-forward delivery to {@code recipient}; blocks up to {@code timeout}. */
  public DeliveryReceipt deliver(String recipient, String endpoint, Delivery delivery, Duration timeout) {
    return RecipientServiceGrpc.newBlockingStub(readyChannel(recipient, endpoint))
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .deliver(delivery);
  }

  /**
   * After a failed connection gRPC waits (exponential reconnect backoff) before it tries again and
   * fails calls fast meanwhile, so a recipient that came back would be reported down for a while.
   * Each call therefore forgets the backoff: the call then waits for one fresh connection attempt,
   * and fails with UNAVAILABLE as soon as that attempt fails.
   */
  private ManagedChannel readyChannel(String recipient, String endpoint) {
    ManagedChannel channel = channel(recipient, endpoint);
    if (channel.getState(true) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
      java.util.concurrent.CountDownLatch attempted = new java.util.concurrent.CountDownLatch(1);
      afterOneConnectionAttempt(channel, CONNECT_ATTEMPT_WAIT.toNanos(), attempted::countDown);
      try {
        attempted.await(); // a push worker's own thread, never a handler's
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return channel;
  }

  private ManagedChannel channel(String recipient, String endpoint) {
    return channels.computeIfAbsent(recipient + " " + endpoint, k -> opener.open(recipient, endpoint));
  }

  /**
   * Runs {@code then} once, when the channel is READY or has failed one more connection attempt, or after
   * {@code waitNanos} at the latest; by state-change callbacks and one timer, on no caller's thread.
   */
  static void afterOneConnectionAttempt(ManagedChannel channel, long waitNanos, Runnable then) {
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable once = () -> {
      if (done.compareAndSet(false, true)) {
        then.run();
      }
    };
    java.util.concurrent.ScheduledFuture<?> timer = TIMER.schedule(once, Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
    watch(channel, false, () -> {
      timer.cancel(false);
      once.run();
    }, done);
  }

  private static void watch(ManagedChannel channel, boolean attempted, Runnable settled,
      java.util.concurrent.atomic.AtomicBoolean done) {
    if (done.get()) {
      return;
    }
    ConnectivityState state = channel.getState(false);
    if (state == ConnectivityState.READY || state == ConnectivityState.SHUTDOWN
        || (attempted && state == ConnectivityState.TRANSIENT_FAILURE)) {
      settled.run();
      return;
    }
    boolean nowAttempted = attempted || state == ConnectivityState.CONNECTING;
    channel.notifyWhenStateChanged(state, () -> watch(channel, nowAttempted, settled, done));
  }

  /** The one timer that bounds every wait for a connection attempt (a daemon: it holds no call). */
  private static final java.util.concurrent.ScheduledExecutorService TIMER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hmb-forward-connect-timer");
        t.setDaemon(true);
        return t;
      });

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel c : channels.values()) {
      try {
        if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
          c.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.shutdownNow();
      }
    }
  }
}
