package io.hmb.gateway.server;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an hmb.v1 caller hears while the gateway's database is unreachable: UNAVAILABLE with reason
 * GATEWAY_UNAVAILABLE and a RetryInfo, never an acknowledgement and never gRPC's UNKNOWN "Application error".
 * While the database watch ({@link #databaseReachable}) says it is gone, every call is refused before any
 * handler runs; in the second before the watch notices, a handler that fails on the database (an exception
 * with an {@link SQLException} in its causes) gets the same answer. The message names no URL, host or
 * password: the exception's text stays out of it.
 */
final class DatabaseGate implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(DatabaseGate.class);
  private static final String PROTECTED_PREFIX = "hmb.v1.";
  static final String MESSAGE = "the gateway's database is unreachable, so nothing was accepted; retry after the "
      + "RetryInfo delay with the same idempotency key";

  private final Duration retryDelay;
  private volatile boolean reachable = true;

  DatabaseGate(Duration retryDelay) {
    this.retryDelay = retryDelay;
  }

  void databaseReachable(boolean up) {
    reachable = up;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (!call.getMethodDescriptor().getFullMethodName().startsWith(PROTECTED_PREFIX)) {
      return next.startCall(call, headers);
    }
    if (!reachable) {
      refuse(call);
      return new ServerCall.Listener<>() {};
    }
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(call, headers);
    } catch (RuntimeException e) {
      if (!failedOnDatabase(e, call)) {
        throw e;
      }
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        guard(() -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        guard(super::onHalfClose);
      }

      @Override
      public void onReady() {
        guard(super::onReady);
      }

      private void guard(Runnable step) {
        try {
          step.run();
        } catch (RuntimeException e) {
          if (!failedOnDatabase(e, call)) {
            throw e;
          }
        }
      }
    };
  }

  /** Answers GATEWAY_UNAVAILABLE if {@code e} came from the database; false (rethrow it) otherwise. */
  private boolean failedOnDatabase(RuntimeException e, ServerCall<?, ?> call) {
    if (e instanceof StatusRuntimeException || !causedBySql(e)) {
      return false;
    }
    log.warn("call method={} failed on the database error={}; answered GATEWAY_UNAVAILABLE",
        call.getMethodDescriptor().getFullMethodName(), e.getClass().getSimpleName());
    refuse(call);
    return true;
  }

  private static boolean causedBySql(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException) {
        return true;
      }
    }
    return false;
  }

  private void refuse(ServerCall<?, ?> call) {
    StatusRuntimeException refusal = Errors.retryAfter(ErrorReason.GATEWAY_UNAVAILABLE, MESSAGE, retryDelay);
    try {
      call.close(refusal.getStatus(), refusal.getTrailers() == null ? new Metadata() : refusal.getTrailers());
    } catch (IllegalStateException alreadyClosed) {
      // the handler answered before it failed: what it said stands
    }
  }
}
