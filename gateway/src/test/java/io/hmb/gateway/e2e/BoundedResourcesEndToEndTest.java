package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SubscribeRequest;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One caller cannot starve everyone (issue 15, Security II, finding 1): a participant holds at most
 * {@link GatewayConfig#DEFAULT_MAX_SUBSCRIBE_STREAMS} Subscribe streams, and at most
 * {@link GatewayConfig#DEFAULT_MAX_PASS_THROUGH_PER_SENDER} pass-through calls in flight, however long its
 * recipient takes; over either it is refused at once with RATE_LIMITED naming the limit, and an unrelated
 * participant's calls stay fast. The gateway runs with its defaults.
 */
class BoundedResourcesEndToEndTest {
  @TempDir static Path dataDir;
  static Gateway gateway;
  static TestParty hospital;
  static TestParty lead;
  static TestParty coInsurer;
  static TestParty bureau;
  static BlackHole blackHole;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
    blackHole = new BlackHole();
    lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200",
        Optional.of("localhost:" + blackHole.port()));
    coInsurer = TestParty.register(gateway, "INSURER-CO-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    hospital = TestParty.register(gateway, "HOSPITAL-210200-01", Role.ROLE_HOSPITAL, "210200", Optional.empty());
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code,
        LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
  }

  @AfterAll
  static void stop() throws Exception {
    for (TestParty p : List.of(hospital, lead, coInsurer, bureau)) {
      p.close();
    }
    gateway.close();
    blackHole.close();
  }

  @Test
  void aParticipantHoldsAtMostFourSubscribeStreamsAndAClosedOneFreesItsPlace() throws Exception {
    List<Stream> streams = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      streams.add(Stream.open(coInsurer));
    }
    Await.until("two of six streams refused", () -> streams.stream().filter(s -> s.error() != null).count() == 2);
    for (Stream refused : streams.stream().filter(s -> s.error() != null).toList()) {
      StatusRuntimeException e = (StatusRuntimeException) refused.error();
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(Errors.reason(e)).contains(ErrorReason.RATE_LIMITED);
      assertThat(Errors.errorInfo(e).orElseThrow().getMetadataMap())
          .containsEntry("limit", "subscribe_streams").containsEntry("max", "4");
      assertThat(Errors.retryDelay(e)).isPresent();
    }
    // Another participant's stream is its own business.
    Stream bureaus = Stream.open(bureau);

    Stream open = streams.stream().filter(s -> s.error() == null).findFirst().orElseThrow();
    open.close();
    // The place is given back when the gateway sees the cancellation: a new stream is then accepted.
    boolean accepted = false;
    for (int attempt = 0; attempt < 20 && !accepted; attempt++) {
      Stream again = Stream.open(coInsurer);
      Thread.sleep(300); // a refusal comes back within this time; none means the stream was accepted
      accepted = again.error() == null;
      streams.add(again);
    }
    assertThat(accepted).as("a new stream accepted once one was closed").isTrue();
    assertThat(bureaus.error()).isNull();
    bureaus.close();
    streams.forEach(Stream::close);
  }

  @Test
  void fortyEightCallsToABlackHoledEndpointHoldOnlyTheCallersShareAndOthersStayFast() throws Exception {
    var stub = EligibilityServiceGrpc.newFutureStub(hospital.channel);
    List<ListenableFuture<SealedEnvelope>> calls = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      SealedEnvelope query = hospital.seal(hospital.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, "210200"),
          CoverageQuery.getDefaultInstance(), lead);
      calls.add(stub.withDeadlineAfter(6, TimeUnit.SECONDS).checkCoverage(query));
    }
    // Those over the caller's share are refused at once, while the others still wait for the black hole.
    int over = 48 - GatewayConfig.DEFAULT_MAX_PASS_THROUGH_PER_SENDER;
    Await.until(over + " calls refused as over the share",
        () -> calls.stream().filter(f -> f.isDone() && reason(f) == ErrorReason.RATE_LIMITED).count() == over);
    assertThat(calls.stream().filter(f -> !f.isDone()).count()).isEqualTo(GatewayConfig.DEFAULT_MAX_PASS_THROUGH_PER_SENDER);
    StatusRuntimeException refused = calls.stream().filter(f -> f.isDone() && reason(f) == ErrorReason.RATE_LIMITED)
        .map(BoundedResourcesEndToEndTest::error).findFirst().orElseThrow();
    assertThat(Errors.errorInfo(refused).orElseThrow().getMetadataMap())
        .containsEntry("limit", "pass_through_in_flight_per_sender")
        .containsEntry("max", Integer.toString(GatewayConfig.DEFAULT_MAX_PASS_THROUGH_PER_SENDER));

    // An unrelated participant meanwhile.
    long start = System.nanoTime();
    DirectoryServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .getParticipant(GetParticipantRequest.newBuilder().setCode(lead.code).build());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));

    // The calls in flight end with the recipient's timeout, and give their places back.
    for (ListenableFuture<SealedEnvelope> call : calls) {
      assertThat(reason(call)).isIn(ErrorReason.RATE_LIMITED, ErrorReason.RECIPIENT_TIMEOUT,
          ErrorReason.RECIPIENT_UNAVAILABLE);
    }
    SealedEnvelope next = hospital.seal(hospital.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, "210200"),
        CoverageQuery.getDefaultInstance(), lead);
    assertThat(reason(stub.withDeadlineAfter(1, TimeUnit.SECONDS).checkCoverage(next)))
        .as("a place is free again").isNotEqualTo(ErrorReason.RATE_LIMITED);
  }

  static ErrorReason reason(ListenableFuture<SealedEnvelope> call) {
    StatusRuntimeException e = error(call);
    return e == null ? null : Errors.reason(e).orElse(null);
  }

  static StatusRuntimeException error(ListenableFuture<SealedEnvelope> call) {
    try {
      call.get(30, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return (StatusRuntimeException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A Subscribe stream the test can close, recording its refusal if any. */
  static final class Stream implements StreamObserver<Delivery> {
    private final Context.CancellableContext context = Context.current().withCancellation();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    static Stream open(TestParty party) {
      Stream s = new Stream();
      s.context.run(() -> DeliveryServiceGrpc.newStub(party.channel).subscribe(SubscribeRequest.getDefaultInstance(), s));
      return s;
    }

    Throwable error() {
      return errors.isEmpty() ? null : errors.get(0);
    }

    void close() {
      context.cancel(null);
    }

    @Override
    public void onNext(Delivery d) {}

    @Override
    public void onError(Throwable t) {
      errors.add(t);
    }

    @Override
    public void onCompleted() {}
  }

  /** Accepts TCP connections and never says a word: the TLS handshake, and every call, wait forever. */
  static final class BlackHole implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0);
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor = new Thread(this::accept, "black-hole");

    BlackHole() throws IOException {
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      try {
        while (!server.isClosed()) {
          held.add(server.accept());
        }
      } catch (IOException closed) {
        // closed by the test
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
