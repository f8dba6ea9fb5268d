package io.hmb.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated envelopes, headers and streams cut mid-way, a bounded number of iterations with a
 * printed seed (replay with -Dfuzz.seed=N). The gateway must answer every one with a client-error
 * status carrying an ErrorInfo reason (never INTERNAL or UNKNOWN, never a hang), and stay healthy.
 */
class EnvelopeFuzzTest {
  static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 400);
  static final Set<Status.Code> CLIENT_ERRORS = EnumSet.of(Status.Code.INVALID_ARGUMENT, Status.Code.UNAUTHENTICATED,
      Status.Code.PERMISSION_DENIED, Status.Code.ALREADY_EXISTS, Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION);

  @TempDir static Path dataDir;
  static Gateway gateway;
  static DatabaseConsole sql;
  static TestParty bureau;
  static TestParty insurer;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir)
        .rateLimit(100_000, 100_000), Clock.systemUTC());
    sql = DatabaseConsole.of(dataDir);
    insurer = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", insurer.code,
        LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(insurer.code, 10000))));
  }

  @AfterAll
  static void stop() throws Exception {
    bureau.close();
    insurer.close();
    sql.close();
    gateway.close();
  }

  @Test
  void mutatedEnvelopesGetClientErrorsWithReasons() {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    Random random = new Random(seed);
    SealedEnvelope valid = sealedSettlement("fuzz-base");
    for (int i = 0; i < ITERATIONS; i++) {
      SealedEnvelope mutated = mutate(valid, random);
      try {
        SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(5, TimeUnit.SECONDS).submitSettlement(mutated);
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).as("seed=%d iteration=%d %s", seed, i, e.getStatus())
            .isIn(CLIENT_ERRORS);
        assertThat(Errors.reason(e)).as("seed=%d iteration=%d %s", seed, i, e.getStatus()).isPresent();
      }
    }
    assertHealthy();
  }

  @Test
  void randomBytesAsHeaderAndCoverageCallsAreRefusedCleanly() {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int i = 0; i < ITERATIONS / 4; i++) {
      byte[] junk = new byte[random.nextInt(300)];
      random.nextBytes(junk);
      SealedEnvelope envelope = SealedEnvelope.newBuilder().setHeader(ByteString.copyFrom(junk))
          .setWrappedKey(ByteString.copyFrom(junk)).setCiphertext(ByteString.copyFrom(junk))
          .setSignature(ByteString.copyFrom(junk)).build();
      try {
        EligibilityServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(5, TimeUnit.SECONDS).checkCoverage(envelope);
        throw new AssertionError("random bytes were accepted, seed=" + seed);
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).as("seed=%d %s", seed, e.getStatus()).isIn(CLIENT_ERRORS);
      }
    }
    assertHealthy();
  }

  @Test
  void anUploadCutMidwayAndResentWithTheSameKeysStoresEachOnceAndAcknowledgesAll() throws Exception {
    int batch = 20;
    List<Acceptance> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    StreamObserver<SealedEnvelope> upload = SettlementServiceGrpc.newStub(bureau.channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS).uploadSettlements(observer(accepted, done));
    for (int i = 0; i < batch; i++) {
      upload.onNext(sealedSettlement("cut-" + i));
    }
    // Cut it once the gateway has acknowledged part of it, so the check below has something to find.
    Await.until("a first acceptance on the upload stream", () -> !accepted.isEmpty());
    upload.onError(Status.CANCELLED.withDescription("client went away mid-stream").asRuntimeException());
    done.await(10, TimeUnit.SECONDS);
    // Every acknowledged envelope is stored; an unacknowledged one may be (its Acceptance was lost with
    // the cut), never half of one. What the docs promise is what the resend below relies on.
    int stored = cutRows();
    assertThat(stored).isGreaterThanOrEqualTo(accepted.size()).isLessThanOrEqualTo(batch);
    java.util.Set<String> acknowledgedBeforeTheCut = new java.util.HashSet<>();
    accepted.forEach(a -> acknowledgedBeforeTheCut.add(a.getMessageId()));

    // The sender resends the whole batch with the same keys, sealed anew (new message ids), as the SDK does.
    List<Acceptance> again = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch resent = new CountDownLatch(1);
    StreamObserver<SealedEnvelope> retry = SettlementServiceGrpc.newStub(bureau.channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS).uploadSettlements(observer(again, resent));
    for (int i = 0; i < batch; i++) {
      retry.onNext(sealedSettlement("cut-" + i));
    }
    retry.onCompleted();
    assertThat(resent.await(30, TimeUnit.SECONDS)).isTrue();

    assertThat(again).hasSize(batch);
    // The envelope in progress at the cut may commit after the count above: replayed too, so at least that many.
    assertThat(again.stream().filter(Acceptance::getReplayed).count()).as("stored before the cut: replayed")
        .isGreaterThanOrEqualTo(stored);
    assertThat(again.stream().filter(Acceptance::getReplayed).map(Acceptance::getMessageId).toList())
        .containsAll(acknowledgedBeforeTheCut);
    assertThat(cutRows()).as("one row per key").isEqualTo(batch);
    assertHealthy();
  }

  static int cutRows() throws java.sql.SQLException {
    try (var c = sql.connect();
         var rs = c.createStatement().executeQuery("SELECT count(*) FROM message WHERE idempotency_key LIKE 'cut-%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static StreamObserver<Acceptance> observer(List<Acceptance> accepted, CountDownLatch done) {
    return new StreamObserver<>() {
      @Override public void onNext(Acceptance a) { accepted.add(a); }
      @Override public void onError(Throwable t) { done.countDown(); }
      @Override public void onCompleted() { done.countDown(); }
    };
  }

  static SealedEnvelope sealedSettlement(String key) {
    return bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, insurer, "210200").setIdempotencyKey(key),
        SettlementData.newBuilder().setSettlementId(key).build(), insurer);
  }

  /** One random mutation: a flipped byte in any part, a truncated part, or an edited header field. */
  static SealedEnvelope mutate(SealedEnvelope e, Random random) {
    SealedEnvelope.Builder b = e.toBuilder();
    switch (random.nextInt(6)) {
      case 0 -> b.setHeader(flip(e.getHeader(), random));
      case 1 -> b.setWrappedKey(flip(e.getWrappedKey(), random));
      case 2 -> b.setCiphertext(flip(e.getCiphertext(), random));
      case 3 -> b.setSignature(flip(e.getSignature(), random));
      case 4 -> {
        ByteString part = e.getCiphertext();
        b.setCiphertext(part.substring(0, random.nextInt(part.size())));
      }
      default -> b.setHeader(editHeader(e.getHeader(), random));
    }
    return b.build();
  }

  static ByteString flip(ByteString bytes, Random random) {
    byte[] copy = bytes.toByteArray();
    copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
    return ByteString.copyFrom(copy);
  }

  static ByteString editHeader(ByteString header, Random random) {
    try {
      EnvelopeHeader.Builder h = EnvelopeHeader.parseFrom(header).toBuilder();
      switch (random.nextInt(6)) {
        case 0 -> h.setMessageTypeValue(random.nextInt(40));
        case 1 -> h.setAdmdvs(Integer.toString(random.nextInt(1_000_000)));
        case 2 -> h.setRecipient(random.nextBoolean() ? "" : "X" + random.nextInt(100));
        case 3 -> h.setSchemaVersion(random.nextInt(5));
        case 4 -> h.setIdempotencyKey(random.nextBoolean() ? "" : "k".repeat(random.nextInt(100)));
        default -> h.getCreateTimeBuilder().setSeconds(random.nextLong());
      }
      return h.build().toByteString();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  static void assertHealthy() {
    assertThat(HealthGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
  }

}
