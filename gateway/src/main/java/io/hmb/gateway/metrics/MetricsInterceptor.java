package io.hmb.gateway.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.hmb.api.Errors;
import io.grpc.Grpc;
import io.hmb.security.tls.PeerIdentity;

/**
 * Records every call's method, outcome (OK, the ErrorInfo reason, or the bare gRPC code) and
 * calling participant, and logs refusals as one structured line without personal data.
 */
public final class MetricsInterceptor implements ServerInterceptor {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("io.hmb.gateway.calls");
  private final GatewayMetrics metrics;
  private final CallTracing tracing;

  public MetricsInterceptor(GatewayMetrics metrics) {
    this(metrics, CallTracing.off());
  }

  public MetricsInterceptor(GatewayMetrics metrics, CallTracing tracing) {
    this.metrics = metrics;
    this.tracing = tracing;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    // From the TLS session, not the Context: this interceptor is outermost and also sees refused calls.
    String who = PeerIdentity.participantCode(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION))
        .orElse("anonymous");
    CallFacts facts = new CallFacts();
    metrics.callStarted(method);
    io.opentelemetry.api.trace.Span span = tracing.start(method, headers, who);
    ServerCall<Q, R> recording = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(R message) {
        metrics.message(method, false);
        super.sendMessage(message);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        String outcome = status.isOk() ? "OK" : outcome(status, trailers);
        metrics.recordCall(method, outcome, who, System.nanoTime() - start);
        metrics.callHandled(method, status.getCode());
        CallTracing.end(span, status, outcome, facts);
        if (!status.isOk() && !method.startsWith("grpc.")) {
          log.info("call refused method={} participant={} code={} reason={}{} message=\"{}\"", method,
              LogSafe.value(who), status.getCode(), LogSafe.value(outcome), facts.describe(),
              LogSafe.value(status.getDescription()));
        }
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> listener = io.grpc.Contexts.interceptCall(
        io.grpc.Context.current().withValue(CallFacts.KEY, facts), recording, headers, next);
    return new io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        metrics.message(method, true);
        super.onMessage(message);
      }
    };
  }

  private static String outcome(Status status, Metadata trailers) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    return Errors.reason(StatusProto.toStatusRuntimeException(details)).map(Enum::name)
        .orElse(status.getCode().name());
  }
}
