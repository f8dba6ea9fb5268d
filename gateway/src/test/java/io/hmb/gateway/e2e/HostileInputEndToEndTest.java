package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.hmb.api.Errors;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.CapturedLogs;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile or broken caller sends, through the real gateway (TLS, PostgreSQL), and what it gets
 * back and leaves in the log (issue 15, Security II, findings 3 and 4): every malformed input is
 * answered with an hmb ErrorInfo, and what the caller wrote reaches the log only as one safe line.
 */
class HostileInputEndToEndTest {
  static final String ID_NUMBER = "210202198001011234";
  static final String NAME = "张三";
  static final String FORGED_LINE = "2026-12-01T00:00:00Z INFO calls call accepted method=hmb.v1.Forged participant=BUREAU";
  static final int ONE_MB = 1024 * 1024;
  /** A log line longer than this is a caller's value that was not cut. */
  static final int LONGEST_LINE = 2_000;

  @TempDir static Path dataDir;
  static Gateway gateway;
  static TestParty bureau;
  static TestParty insurer;
  static CapturedLogs logs;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir).rateLimit(100_000, 100_000),
        Clock.systemUTC());
    insurer = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", insurer.code,
        LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(insurer.code, 10000))));
    logs = CapturedLogs.start();
  }

  @AfterAll
  static void stop() throws Exception {
    logs.close();
    bureau.close();
    insurer.close();
    gateway.close();
  }

  @BeforeEach
  void forgetEarlierLines() {
    logs.clear();
  }

  // ---- finding 4: every malformed input gets an hmb ErrorInfo -------------------------------------

  @Test
  void garbageOuterBytesAreAMalformedEnvelopeWithAnErrorInfoAndOneLogLine() throws Exception {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01, 0x02};
    StatusRuntimeException refused = rawCall(SettlementServiceGrpc.getSubmitSettlementMethod(), garbage);

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(Errors.reason(refused)).contains(ErrorReason.MALFORMED_ENVELOPE);
    Await.until("the refusal's log line", () -> logs.lines().stream().anyMatch(l -> l.contains("MALFORMED_ENVELOPE")));
    assertThat(logs.stackTraces()).as("a caller's garbage is not a stack trace").isEmpty();
    assertThat(logs.lines()).filteredOn(l -> l.contains("SubmitSettlement")).hasSize(1);
  }

  @Test
  void garbageOnAnUploadStreamIsAMalformedEnvelopeToo() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    StatusRuntimeException refused = rawCall(SettlementServiceGrpc.getUploadSettlementsMethod(), garbage);

    assertThat(Errors.reason(refused)).contains(ErrorReason.MALFORMED_ENVELOPE);
    assertThat(logs.stackTraces()).isEmpty();
  }

  @Test
  void anEnvelopeOverTheLimitAndTheOld64KiBHeadroomIsPayloadTooLargeWithItsLimit() {
    int limit = GatewayConfig.DEFAULT_MAX_ENVELOPE_BYTES;
    SealedEnvelope big = settlement(h -> h).toBuilder()
        .setCiphertext(ByteString.copyFrom(new byte[limit + 100 * 1024])).build();

    assertThatThrownBy(() -> SettlementServiceGrpc.newBlockingStub(bureau.channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS).submitSettlement(big))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(Errors.reason(e)).contains(ErrorReason.PAYLOAD_TOO_LARGE);
          assertThat(Errors.errorInfo(e).orElseThrow().getMetadataMap())
              .containsEntry("limit_bytes", Integer.toString(limit));
        });
  }

  @Test
  void aMessageOverTheTransportCeilingIsRefusedInOneLineNotAStackTrace() throws Exception {
    int ceiling = 2 * GatewayConfig.DEFAULT_MAX_ENVELOPE_BYTES;
    SealedEnvelope huge = settlement(h -> h).toBuilder()
        .setCiphertext(ByteString.copyFrom(new byte[ceiling + 1024])).build();

    assertThatThrownBy(() -> SettlementServiceGrpc.newBlockingStub(bureau.channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS).submitSettlement(huge))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    Await.until("the transport's refusal in the log",
        () -> logs.lines().stream().anyMatch(l -> l.contains("refused by the transport")));
    assertThat(logs.stackTraces()).isEmpty();
  }

  // ---- finding 3: what a caller writes cannot steer the log ----------------------------------------

  @Test
  void forgedIdsInHeadersReachTheLogAsOneSafeLineEach() throws Exception {
    String forged = "\n" + FORGED_LINE + " " + ID_NUMBER + " " + NAME + "\r\n";
    String huge = "x".repeat(ONE_MB) + forged;
    List<UnaryOperator<EnvelopeHeader.Builder>> forgeries = List.of(
        h -> h.setCorrelationId(UUID.randomUUID() + forged),
        h -> h.setCorrelationId(huge),
        h -> h.setCorrelationId(ID_NUMBER + NAME),
        h -> h.setMessageId(UUID.randomUUID() + forged),
        h -> h.setMessageId(huge),
        h -> h.setIdempotencyKey("key" + forged),
        h -> h.setIdempotencyKey(huge),
        h -> h.setIdempotencyKey(ID_NUMBER + NAME),
        h -> h.setSender(bureau.code + forged),
        h -> h.setSender(huge),
        h -> h.setProductCode("p" + forged),
        h -> h.setAdmdvs(ID_NUMBER + forged));
    for (UnaryOperator<EnvelopeHeader.Builder> forgery : forgeries) {
      assertThatThrownBy(() -> SettlementServiceGrpc.newBlockingStub(bureau.channel)
          .withDeadlineAfter(30, TimeUnit.SECONDS).submitSettlement(forged(forgery)))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(Errors.reason(e)).as("%s", e.getStatus()).isPresent());
    }
    Await.until("a refusal line for every forgery",
        () -> logs.lines().stream().filter(l -> l.contains("call refused")).count() >= forgeries.size());

    List<String> lines = logs.lines();
    assertThat(lines).filteredOn(l -> l.contains("call refused")).hasSize(forgeries.size());
    assertThat(lines).allSatisfy(line -> {
      assertThat(line).doesNotStartWith("2026-12-01T00:00:00Z").doesNotContain(ID_NUMBER).doesNotContain(NAME);
      assertThat(line.length()).isLessThan(LONGEST_LINE);
    });
    assertThat(logs.stackTraces()).isEmpty();
  }

  // ---- helpers --------------------------------------------------------------------------------------

  static SealedEnvelope settlement(UnaryOperator<EnvelopeHeader.Builder> edit) {
    EnvelopeHeader.Builder header = bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, insurer, "210200")
        .setIdempotencyKey("hostile-" + UUID.randomUUID()).setProductCode("dalian-2025-basic");
    return bureau.seal(edit.apply(header), SettlementData.newBuilder().setSettlementId("S-1").build(), insurer);
  }

  /**
   * A settlement whose header was edited after sealing, as a caller writing its own bytes can: the SDK's
   * sealer refuses such fields, the gateway must refuse them too, and log them safely.
   */
  static SealedEnvelope forged(UnaryOperator<EnvelopeHeader.Builder> edit) {
    SealedEnvelope sealed = settlement(h -> h);
    try {
      EnvelopeHeader header = EnvelopeHeader.parseFrom(sealed.getHeader());
      return sealed.toBuilder().setHeader(edit.apply(header.toBuilder()).build().toByteString()).build();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** Calls an envelope RPC with bytes as they are, as a client without our generated code could. */
  static StatusRuntimeException rawCall(MethodDescriptor<?, ?> method, byte[] request) {
    MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(method.getType() == MethodDescriptor.MethodType.BIDI_STREAMING
            ? MethodDescriptor.MethodType.UNARY : method.getType())
        .setFullMethodName(method.getFullMethodName())
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    try {
      ClientCalls.blockingUnaryCall(bureau.channel, raw, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          request);
      throw new AssertionError("garbage was accepted");
    } catch (StatusRuntimeException e) {
      return e;
    }
  }

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
}
