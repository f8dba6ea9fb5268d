package io.hmb.gateway.pipeline;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Timestamp;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.ForwardMargin;
import io.hmb.gateway.delivery.Forwarder;
import io.hmb.gateway.delivery.OutboxSignal;
import io.hmb.gateway.intake.EnvelopeIntake;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.ParticipantKey;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.registry.RegistryCache;
import io.hmb.gateway.registry.RegistrySnapshot;
import io.hmb.gateway.server.PeerAuthentication;
import io.hmb.security.ContentDigest;
import io.hmb.security.EnvelopeException;
import io.hmb.security.EnvelopeVerifier;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.PublicKeyResolver;
import io.hmb.security.Sealer;
import io.hmb.security.replay.ReplayGuard;
import io.hmb.testing.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link MessagePipeline} in-process, without PostgreSQL or a network: a fixed {@link RegistrySnapshot}
 * behind a real {@link RegistryCache} and {@link RegistryKeyResolver}, a real {@link EnvelopeVerifier}
 * with SM2 keys (sealed as the SDK seals, by security's {@link Sealer}), {@link InMemoryRecords} for the
 * message table, and a real {@link Forwarder} over in-process channels to a {@link FakeRecipient}, so the
 * forward margin and the failure mapping are the gateway's own. A call runs inside a gRPC
 * {@link Context} carrying the TLS peer ({@link PeerAuthentication#PEER}) and, for pass-through, a
 * deadline on a frozen {@link Deadline.Ticker}; the reply is collected from the StreamObserver.
 *
 * <p>Time: the envelope clock is a {@link ManualClock} the test moves; deadlines do not move unless
 * the test advances {@link #ticker}, so "the deadline less the margin" is an exact figure. Only a
 * recipient that never answers costs real time (the forwarded call's timer runs on the wall clock).
 *
 * <p>Intake's size limit is {@link #MAX_ENVELOPE_BYTES}; the verifier keeps security's default (4 MiB),
 * so an envelope between the two is refused by intake or not at all, which is what makes the
 * intake-before-cryptography test able to fail.
 */
final class PipelineHarness implements AutoCloseable {
  static final String DALIAN = "210200";
  static final String WUWEI = "620600";
  static final String DALIAN_PRODUCT = "dalian-2026-upgrade";
  static final String WUWEI_PRODUCT = "wuwei-2026-basic";
  static final int MAX_ENVELOPE_BYTES = 64 * 1024;
  static final Duration MAX_CALL_DEADLINE = GatewayConfig.DEFAULT_MAX_CALL_DEADLINE;
  static final Instant START = Instant.parse("2026-03-02T01:30:00Z");

  private static final Sealer SEALER = Sealer.create();
  /** SM2 keys are generated once per JVM; each harness registers the same ones. */
  private static final Map<String, PrivateKeyHandle> KEYS = new ConcurrentHashMap<>();

  /** A participant of the fixed registry, with its private key. */
  record Party(String code, Role role, String admdvs, PrivateKeyHandle key, Participant participant) {
    @Override
    public String toString() {
      return code;
    }
  }

  final ManualClock clock = new ManualClock(START);
  final FrozenTicker ticker = new FrozenTicker();
  final InMemoryRecords records = new InMemoryRecords();
  final FakeRecipient recipient = new FakeRecipient(this::answerCorrectly);
  final MessagePipeline pipeline;
  /** As the gateway's defaults. */
  final InFlightLimits inFlight = new InFlightLimits(GatewayConfig.DEFAULT_MAX_PASS_THROUGH_PER_SENDER,
      GatewayConfig.DEFAULT_MAX_PASS_THROUGH_PER_RECIPIENT);

  final Party bureau;
  final Party hospital;
  /** A Dalian hospital with a bucket of one message, refilled once in 1000 s: its second message is over. */
  final Party slowHospital;
  final Party wuweiHospital;
  final Party lead;
  /** A Wuwei co-insurer (of WUWEI_PRODUCT only): serves no Dalian product. */
  final Party wuweiCoInsurer;
  final Party suspendedBureau;
  /** Sealable-for but not in the registry. */
  final Party stranger;

  private final Map<String, Party> parties = new LinkedHashMap<>();
  private final AtomicInteger keyLookups = new AtomicInteger();
  private final List<Server> servers = new ArrayList<>();
  private final Forwarder forwarder;
  private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "harness-deadlines");
    t.setDaemon(true);
    return t;
  });
  private final String serverPrefix = "pipeline-harness-" + UUID.randomUUID() + "-";

  PipelineHarness() {
    bureau = party("BUREAU-210200", Role.ROLE_BUREAU, DALIAN, Participant.Status.ACTIVE, "bureau.test:443", null);
    hospital = party("HOSPITAL-210200-01", Role.ROLE_HOSPITAL, DALIAN, Participant.Status.ACTIVE, null, null);
    slowHospital = party("HOSPITAL-210200-02", Role.ROLE_HOSPITAL, DALIAN, Participant.Status.ACTIVE, null,
        new Participant.RateLimit(0.001, 1));
    wuweiHospital = party("HOSPITAL-620600-01", Role.ROLE_HOSPITAL, WUWEI, Participant.Status.ACTIVE, null, null);
    lead = party("INSURER-LEAD", Role.ROLE_INSURER, DALIAN, Participant.Status.ACTIVE, "lead.test:443", null);
    wuweiCoInsurer = party("INSURER-CO-620600", Role.ROLE_INSURER, WUWEI, Participant.Status.ACTIVE, null, null);
    suspendedBureau = party("BUREAU-210200-OLD", Role.ROLE_BUREAU, DALIAN, Participant.Status.SUSPENDED,
        "old-bureau.test:443", null);
    stranger = new Party("NOBODY-210200", Role.ROLE_INSURER, DALIAN, key("NOBODY-210200"), null);

    List<ParticipantKey> keys = parties.values().stream().map(p -> new ParticipantKey(p.code(), p.key().keyId(),
        p.key().suite(), p.key().publicKey().toSpkiDer(), START.minus(Duration.ofDays(30)),
        START.plus(Duration.ofDays(365)), ParticipantKey.Status.ENABLED, true)).toList();
    RegistrySnapshot snapshot = new RegistrySnapshot(
        parties.values().stream().map(Party::participant).toList(), keys, List.of(
            new Product(DALIAN_PRODUCT, DALIAN, lead.code(), LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31),
                List.of(new Product.Member(lead.code(), 10_000))),
            new Product(WUWEI_PRODUCT, WUWEI, lead.code(), LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31),
                List.of(new Product.Member(lead.code(), 7_000), new Product.Member(wuweiCoInsurer.code(), 3_000)))));
    RegistryCache registry = new RegistryCache(() -> snapshot, clock, RegistryCache.DEFAULT_TTL);

    RegistryKeyResolver keysOfRegistry = new RegistryKeyResolver(registry);
    PublicKeyResolver counted = (participant, keyId, at) -> {
      keyLookups.incrementAndGet();
      return keysOfRegistry.resolve(participant, keyId, at);
    };
    // As Gateway.start builds it, but with security's default size limit (see the class comment).
    EnvelopeVerifier verifier = EnvelopeVerifier.builder(counted).clock(clock)
        .replayGuard(ReplayGuard.deferredToCaller()).build();

    for (Party p : parties.values()) {
      p.participant().endpoint().ifPresent(this::serve);
    }
    forwarder = new Forwarder(
        (recipient, endpoint) -> InProcessChannelBuilder.forName(serverPrefix + endpoint).directExecutor().build(),
        ForwardMargin.DEFAULTS);
    pipeline = new MessagePipeline(new EnvelopeIntake(MAX_ENVELOPE_BYTES), verifier, registry, records, forwarder,
        new OutboxSignal(), new RateLimiter(GatewayConfig.DEFAULT_RATE_LIMIT_PER_SECOND,
            GatewayConfig.DEFAULT_RATE_LIMIT_BURST), inFlight, MAX_CALL_DEADLINE, false, clock);
  }

  private Party party(String code, Role role, String admdvs, Participant.Status status, String endpoint,
      Participant.RateLimit limit) {
    Party p = new Party(code, role, admdvs, key(code), new Participant(code, role, admdvs, code + " (harness)", status,
        Optional.ofNullable(endpoint), Optional.ofNullable(limit)));
    parties.put(code, p);
    return p;
  }

  private static PrivateKeyHandle key(String code) {
    return KEYS.computeIfAbsent(code, c -> PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3));
  }

  /**
   * The fake recipients' servers never enforce a deadline: their only timer thread is held until
   * close. Otherwise a recipient that does not answer races the gateway's own timer, and in-process
   * a server-side expiry reaches the gateway as CANCELLED, not DEADLINE_EXCEEDED. A real recipient
   * that hangs is one whose deadline the gateway alone ends.
   */
  private final ScheduledExecutorService stalledTimers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "harness-recipient-timers");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch releaseTimers = new CountDownLatch(1);

  private void serve(String endpoint) {
    if (servers.isEmpty()) {
      stalledTimers.execute(() -> {
        try {
          releaseTimers.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    try {
      servers.add(InProcessServerBuilder.forName(serverPrefix + endpoint).directExecutor()
          .scheduledExecutorService(stalledTimers)
          .addService(recipient.serviceAt(endpoint)).build().start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- envelopes ----------------------------------------------------------------------------------

  /** A header as a well-behaved sender fills it, about Dalian, created now by the harness clock. */
  EnvelopeHeader.Builder header(Party from, MessageType type, Party to) {
    Instant now = clock.instant();
    return EnvelopeHeader.newBuilder()
        .setMessageId(UUID.randomUUID().toString())
        .setSender(from.code())
        .setRecipient(to.code())
        .setMessageType(type)
        .setAdmdvs(DALIAN)
        .setCreateTime(timestamp(now))
        .setExpireTime(timestamp(now.plusSeconds(600)));
  }

  /** Seals as the SDK does; with an idempotency key, also sets the content digest. */
  SealedEnvelope seal(Party from, EnvelopeHeader.Builder header, MessageLite payload, Party to) {
    if (!header.getIdempotencyKey().isEmpty()) {
      header.setContentDigest(ByteString.copyFrom(ContentDigest.compute(from.key().suite(), header.getIdempotencyKey(),
          header.getMessageType(), payload.toByteArray())));
    }
    return sealExactly(from, header, payload, to);
  }

  /** Seals the header as given (no content digest added). */
  SealedEnvelope sealExactly(Party from, EnvelopeHeader.Builder header, MessageLite payload, Party to) {
    try {
      return SEALER.seal(header.build(), payload, from.key(), to.key().publicKey());
    } catch (EnvelopeException e) {
      throw new AssertionError("sealing failed: " + e.getMessage(), e);
    }
  }

  /** The same envelope with one bit of its signature flipped. */
  static SealedEnvelope tampered(SealedEnvelope good) {
    byte[] sig = good.getSignature().toByteArray();
    sig[sig.length / 2] ^= 0x01;
    return good.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
  }

  /** The answer a correct recipient sends: its type for the request, correlated, from it to the caller. */
  SealedEnvelope answerTo(EnvelopeHeader request, MessageType type, String correlationId) {
    Party from = parties.get(request.getRecipient());
    Party to = parties.get(request.getSender());
    EnvelopeHeader.Builder h = header(from, type, to).setAdmdvs(request.getAdmdvs()).setCorrelationId(correlationId);
    MessageLite payload = type == MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT
        ? DeductionReceipt.newBuilder().setState(DeductionReceipt.State.STATE_POSTED).build()
        : CoverageDecision.newBuilder().setCovered(true).build();
    return sealExactly(from, h, payload, to);
  }

  private void answerCorrectly(FakeRecipient.Forwarded request, StreamObserver<SealedEnvelope> reply) {
    reply.onNext(answerTo(request.header(), MessageCatalog.answerTo(request.header().getMessageType()),
        request.header().getMessageId()));
    reply.onCompleted();
  }

  // ---- calls --------------------------------------------------------------------------------------

  /** A pass-through call from {@code peer}'s TLS connection with {@code deadline} left, or none if null. */
  Reply<SealedEnvelope> exchange(Party peer, MessageCatalog.Rpc rpc, SealedEnvelope envelope, Duration deadline) {
    Reply<SealedEnvelope> reply = new Reply<>();
    call(peer, deadline, () -> pipeline.exchange(rpc, envelope, reply), reply);
    return reply;
  }

  /** A store-and-forward call from {@code peer}'s TLS connection (no deadline, as such calls may have none). */
  Reply<Acceptance> submit(Party peer, MessageCatalog.Rpc rpc, SealedEnvelope envelope) {
    Reply<Acceptance> reply = new Reply<>();
    call(peer, null, () -> pipeline.submit(rpc, envelope, reply), reply);
    return reply;
  }

  private void call(Party peer, Duration deadline, Runnable handler, Reply<?> reply) {
    Context withPeer = Context.current().withValue(PeerAuthentication.PEER, peer.code());
    if (deadline == null) {
      withPeer.run(handler);
      reply.await();
      return;
    }
    Context.CancellableContext c = withPeer.withDeadline(
        Deadline.after(deadline.toNanos(), TimeUnit.NANOSECONDS, ticker), deadlines);
    try {
      c.run(handler);
      reply.await();
    } finally {
      c.cancel(null);
    }
  }

  /** How often the verifier asked for a sender's key: the step before the signature check. */
  int keyLookups() {
    return keyLookups.get();
  }

  @Override
  public void close() throws InterruptedException {
    forwarder.close();
    for (Server s : servers) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    deadlines.shutdownNow();
    releaseTimers.countDown();
    stalledTimers.shutdownNow();
    recipient.assertNotBroken();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  // ---- small parts --------------------------------------------------------------------------------

  /** What the pipeline answered: one value and completion, or an error. Waits at most 5 s. */
  static final class Reply<T> implements StreamObserver<T> {
    private final CompletableFuture<T> done = new CompletableFuture<>();
    private volatile T value;

    @Override
    public void onNext(T v) {
      if (value != null) {
        done.completeExceptionally(new AssertionError("a second reply: " + v));
      }
      value = v;
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(value);
    }

    void await() {
      try {
        done.get(5, TimeUnit.SECONDS);
      } catch (ExecutionException | InterruptedException e) {
        // an error reply; read it with error()
      } catch (TimeoutException e) {
        throw new AssertionError("the pipeline did not answer within 5 s");
      }
    }

    /** The value; fails the test (with the refusal) if the call was refused. */
    T value() {
      Throwable e = error();
      if (e != null) {
        throw new AssertionError("refused: " + Errors.reason(e).orElse(null) + " " + e.getMessage(), e);
      }
      return done.join();
    }

    /** The refusal, or null. */
    Throwable error() {
      if (!done.isDone()) {
        throw new AssertionError("no reply yet");
      }
      try {
        done.join();
        return null;
      } catch (java.util.concurrent.CompletionException e) {
        return e.getCause();
      }
    }

    /** The refusal's ErrorInfo reason; fails the test if the call succeeded or had no reason. */
    ErrorReason reason() {
      Throwable e = error();
      if (e == null) {
        throw new AssertionError("expected a refusal, got " + value);
      }
      return Errors.reason(e).orElseThrow(() -> new AssertionError("a refusal without a reason", e));
    }
  }

  /** A clock the test moves by hand. */

  /** A deadline ticker that stands still until advanced. */
  static final class FrozenTicker extends Deadline.Ticker {
    private volatile long nanos = 1_000_000_000L;

    @Override
    public long nanoTime() {
      return nanos;
    }

    void advance(Duration d) {
      nanos += d.toNanos();
    }
  }
}
