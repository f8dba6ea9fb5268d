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

  /** Forward a pass-through request to {@code recipient}; the future fails with the recipient's status on error. */
  public ListenableFuture<SealedEnvelope> exchange(String recipient, String endpoint, SealedEnvelope envelope,
      Deadline callerDeadline) {
    return RecipientServiceGrpc.newFutureStub(readyChannel(recipient, endpoint)).withDeadline(forwardDeadline(callerDeadline)).exchange(envelope);
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
    ManagedChannel channel = channels.computeIfAbsent(recipient + " " + endpoint, k -> opener.open(recipient, endpoint));
    if (channel.getState(true) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
      awaitOneConnectionAttempt(channel);
    }
    return channel;
  }

  /** Waits, at most {@link #CONNECT_ATTEMPT_WAIT}, until the channel is READY or has failed once more. */
  private static void awaitOneConnectionAttempt(ManagedChannel channel) {
    long end = System.nanoTime() + CONNECT_ATTEMPT_WAIT.toNanos();
    boolean attempted = false;
    try {
      while (System.nanoTime() < end) {
        ConnectivityState state = channel.getState(false);
        if (state == ConnectivityState.READY || (attempted && state == ConnectivityState.TRANSIENT_FAILURE)) {
          return;
        }
        attempted |= state == ConnectivityState.CONNECTING;
        java.util.concurrent.CountDownLatch changed = new java.util.concurrent.CountDownLatch(1);
        channel.notifyWhenStateChanged(state, changed::countDown);
        changed.await(end - System.nanoTime(), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

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
