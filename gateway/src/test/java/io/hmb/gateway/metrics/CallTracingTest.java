package io.hmb.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The call's span, through a real gRPC server and the gateway's interceptor: a child of the caller's traceparent,
 * with the header's ids that the pipeline records ({@link CallFacts}) and the outcome, and nothing of the request
 * or of an error's text, which may name a person.
 */
class CallTracingTest {
  static final String MESSAGE_ID = "0b7e4c9e-2a4f-4c41-9a53-6f1d2b3c4d5e";
  static final String CORRELATION_ID = "7d9a1f00-1111-4222-8333-944455556666";
  static final String PERSON = "210202198001011234";
  static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
  static final MethodDescriptor<String, String> CHECK = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("hmb.v1.EligibilityService/CheckCoverage")
      .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final GatewayMetrics metrics = new GatewayMetrics();
  CallTracing tracing;
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    tracing = CallTracing.with(SimpleSpanProcessor.create(spans));
    // As the pipeline does: record the header's facts, then answer (or refuse, with a description naming a person).
    ServerServiceDefinition service = ServerServiceDefinition.builder("hmb.v1.EligibilityService")
        .addMethod(CHECK, ServerCalls.asyncUnaryCall((request, answer) -> {
          CallFacts.record(MESSAGE_ID, CORRELATION_ID, "MESSAGE_TYPE_COVERAGE_QUERY");
          if (request.startsWith("refuse")) {
            answer.onError(Status.NOT_FOUND.withDescription("no policy for " + PERSON).asRuntimeException());
          } else {
            answer.onNext("covered");
            answer.onCompleted();
          }
        })).build();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(service, new MetricsInterceptor(metrics, tracing))).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    tracing.close();
    metrics.close();
  }

  String call(String request, String traceparent) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), traceparent);
    return ClientCalls.blockingUnaryCall(
        io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)), CHECK,
        CallOptions.DEFAULT, request);
  }

  @Test
  void aCallIsOneServerSpanUnderTheCallersTraceWithTheHeadersIds() {
    assertThat(call("person " + PERSON, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isEqualTo("covered");
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).hasSize(1);
    SpanData span = finished.get(0);
    assertThat(span.getName()).isEqualTo("hmb.v1.EligibilityService/CheckCoverage");
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    var attributes = span.getAttributes();
    assertThat(attributes.get(CallTracing.MESSAGE_ID)).isEqualTo(MESSAGE_ID);
    assertThat(attributes.get(CallTracing.CORRELATION_ID)).isEqualTo(CORRELATION_ID);
    assertThat(attributes.get(CallTracing.MESSAGE_TYPE)).isEqualTo("MESSAGE_TYPE_COVERAGE_QUERY");
    assertThat(attributes.get(CallTracing.PARTICIPANT)).isEqualTo("anonymous");
    assertThat(attributes.get(CallTracing.RPC_SERVICE)).isEqualTo("hmb.v1.EligibilityService");
    assertThat(attributes.get(CallTracing.RPC_METHOD)).isEqualTo("CheckCoverage");
    assertThat(attributes.get(CallTracing.GRPC_STATUS)).isZero();
    assertThat(attributes.get(CallTracing.OUTCOME)).isEqualTo("OK");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.toString()).doesNotContain(PERSON);
  }

  @Test
  void aRefusalIsAnErrorSpanNamingTheOutcomeNotTheDescription() {
    assertThatThrownBy(() -> call("refuse", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        .hasMessageContaining("NOT_FOUND");
    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getStatus().getDescription()).isEqualTo("NOT_FOUND");
    assertThat(span.getAttributes().get(CallTracing.GRPC_STATUS)).isEqualTo(5L);
    assertThat(span.getAttributes().get(CallTracing.MESSAGE_ID)).isEqualTo(MESSAGE_ID);
    assertThat(span.toString()).doesNotContain(PERSON);
  }

  @Test
  void offByDefaultNoSpanIsMade() {
    try (CallTracing off = CallTracing.toOtlp("")) {
      assertThat(off.enabled()).isFalse();
      assertThat(off.start("hmb.v1.EligibilityService/CheckCoverage", new Metadata(), "anonymous").getSpanContext()
          .isValid()).isFalse();
    }
    assertThat(new io.hmb.gateway.config.GatewayConfig().tracingOtlpEndpoint()).isEmpty();
    assertThat(new io.hmb.gateway.config.GatewayConfig().tracingOtlpEndpoint("grpc://x").problems())
        .anyMatch(p -> p.startsWith("tracing.otlpEndpoint must be an http:// or https:// URL"));
  }
}
