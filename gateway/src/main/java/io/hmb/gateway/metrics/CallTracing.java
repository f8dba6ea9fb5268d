package io.hmb.gateway.metrics;

import io.grpc.Metadata;
import io.grpc.Status;
import io.hmb.gateway.Version;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Optional OpenTelemetry tracing (off unless {@code tracing.otlpEndpoint} is set): one SERVER span per call, a
 * child of the caller's W3C {@code traceparent} when it sends one, exported over OTLP/HTTP in batches. A span
 * carries what the call's log line carries and no more: the RPC, its gRPC code and hmb outcome, the calling
 * participant's code, and the header's message id, correlation id and type ({@link CallFacts}, ids checked to be
 * UUIDs). Never a payload, a name, an ID number or an error's free text: the gateway cannot read payloads, and
 * span attributes leave the gateway for whoever runs the collector.
 *
 * <p>Why not grpc-java's grpc-opentelemetry module: its tracing is experimental in 1.85, it knows nothing of our
 * header's ids, and its metrics would be OpenTelemetry metrics beside the Prometheus ones we already serve.
 */
public final class CallTracing implements AutoCloseable {
  static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  static final AttributeKey<Long> GRPC_STATUS = AttributeKey.longKey("rpc.grpc.status_code");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("hmb.outcome");
  static final AttributeKey<String> PARTICIPANT = AttributeKey.stringKey("hmb.participant");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("hmb.message_id");
  static final AttributeKey<String> CORRELATION_ID = AttributeKey.stringKey("hmb.correlation_id");
  static final AttributeKey<String> MESSAGE_TYPE = AttributeKey.stringKey("hmb.message_type");

  private static final TextMapGetter<Metadata> METADATA = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Metadata carrier) {
      return carrier.keys();
    }

    @Override
    public String get(Metadata carrier, String key) {
      return carrier == null ? null : carrier.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
    }
  };

  private final Tracer tracer;
  private final SdkTracerProvider provider;

  private CallTracing(Tracer tracer, SdkTracerProvider provider) {
    this.tracer = tracer;
    this.provider = provider;
  }

  /** No spans: the default. */
  public static CallTracing off() {
    return new CallTracing(OpenTelemetry.noop().getTracer("hmb-gateway"), null);
  }

  /** Spans exported to an OTLP/HTTP collector ({@code http://collector:4318/v1/traces}); empty: {@link #off()}. */
  public static CallTracing toOtlp(String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      return off();
    }
    return with(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build()).build());
  }

  /** Spans handed to {@code processor} (a test's in-memory exporter behind a simple processor). */
  public static CallTracing with(SpanProcessor processor) {
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor)
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), "hmb-gateway",
            AttributeKey.stringKey("service.version"), Version.current()))))
        .build();
    return new CallTracing(provider.get("io.hmb.gateway", Version.current()), provider);
  }

  public boolean enabled() {
    return provider != null;
  }

  /** The span of a call that arrived with {@code headers}; ended by {@link #end}. */
  Span start(String fullMethod, Metadata headers, String participant) {
    if (provider == null) {
      return Span.getInvalid();
    }
    int slash = fullMethod.lastIndexOf('/');
    return tracer.spanBuilder(fullMethod)
        .setParent(W3CTraceContextPropagator.getInstance().extract(io.opentelemetry.context.Context.root(), headers,
            METADATA))
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(RPC_SYSTEM, "grpc")
        .setAttribute(RPC_SERVICE, slash < 0 ? fullMethod : fullMethod.substring(0, slash))
        .setAttribute(RPC_METHOD, slash < 0 ? "" : fullMethod.substring(slash + 1))
        .setAttribute(PARTICIPANT, participant)
        .startSpan();
  }

  /** Closes the call's span with its outcome and the header's ids, when the pipeline got as far as reading them. */
  static void end(Span span, Status status, String outcome, CallFacts facts) {
    if (!span.getSpanContext().isValid()) {
      return;
    }
    span.setAttribute(GRPC_STATUS, (long) status.getCode().value());
    span.setAttribute(OUTCOME, outcome);
    for (var fact : List.of(List.of(MESSAGE_ID, facts.messageId()), List.of(CORRELATION_ID, facts.correlationId()),
        List.of(MESSAGE_TYPE, facts.messageType()))) {
      @SuppressWarnings("unchecked")
      AttributeKey<String> key = (AttributeKey<String>) fact.get(0);
      String value = (String) fact.get(1);
      if (!value.isEmpty()) {
        span.setAttribute(key, value);
      }
    }
    if (!status.isOk()) {
      span.setStatus(StatusCode.ERROR, outcome); // the reason's name, never the description's text
    }
    span.end();
  }

  /** Flushes what is batched (bounded), then stops exporting. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
