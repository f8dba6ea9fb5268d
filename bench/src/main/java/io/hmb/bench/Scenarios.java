package io.hmb.bench;

import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Runs one step of each scenario against the gateway the clients reach, and turns it into a {@link Step}. */
final class Scenarios {
  static final String BASELINE = "baseline-echo";
  /** The cryptography of one coverage check alone: what {@link #COVERAGE} and {@link #COVERAGE_PACED} are held to. */
  static final String COVERAGE_CEILING = "crypto-ceiling-coverage-check";
  /** The cryptography of one settlement alone: what {@link #SETTLEMENT} is held to. */
  static final String SETTLEMENT_CEILING = "crypto-ceiling-settlement";
  static final String COVERAGE = "coverage-check";
  static final String COVERAGE_PACED = "coverage-check-paced";
  static final String SETTLEMENT = "settlement";
  /** A safety bound on calls per step; time ends every step long before it. */
  private static final long MAX_CALLS_PER_STEP = 50_000_000;
  private static final long CALL_DEADLINE_SECONDS = 10;
  private static final long DRAIN_TIMEOUT_MS = 120_000;

  /** Unique across every Scenarios of the process: the two-node bench runs several on one database. */
  private static final AtomicLong SETTLEMENT_SEQ = new AtomicLong();

  private final Clients clients;
  private final EchoBaseline echo;
  private final CryptoCeiling ceiling;
  private final ResourceMeter meter;

  Scenarios(Clients clients, EchoBaseline echo, CryptoCeiling ceiling, ResourceMeter meter) {
    this.clients = clients;
    this.echo = echo;
    this.ceiling = ceiling;
    this.meter = meter;
  }

  /** Only the gateway scenarios (coverage, settlement), for comparing gateway set-ups with each other. */
  static Scenarios gatewayOnly(Clients clients, ResourceMeter meter) {
    return new Scenarios(clients, null, null, meter);
  }

  Step baseline(int concurrency, Duration warmup, Duration measure) throws InterruptedException {
    return Step.of(BASELINE, ClosedLoop.run("echo", concurrency, warmup, measure, MAX_CALLS_PER_STEP, echo::call,
        meter), null, null);
  }

  Step coverageCeiling(int concurrency, Duration warmup, Duration measure) throws InterruptedException {
    return Step.of(COVERAGE_CEILING, ClosedLoop.run("crypto-coverage", concurrency, warmup, measure,
        MAX_CALLS_PER_STEP, ceiling::oneCoverageCheck, meter), null, null);
  }

  Step settlementCeiling(int concurrency, Duration warmup, Duration measure) throws InterruptedException {
    return Step.of(SETTLEMENT_CEILING, ClosedLoop.run("crypto-settlement", concurrency, warmup, measure,
        MAX_CALLS_PER_STEP, ceiling::oneSettlement, meter), null, null);
  }

  Step coverage(int concurrency, Duration warmup, Duration measure) throws InterruptedException {
    return Step.of(COVERAGE, ClosedLoop.run("coverage", concurrency, warmup, measure, MAX_CALLS_PER_STEP,
        this::coverageCheck, meter), null, null);
  }

  /** Coverage checks arriving at a fixed rate, latency measured from when each was due. */
  Step coveragePaced(double perSecond, int callers, Duration warmup, Duration measure) throws InterruptedException {
    return Step.of(COVERAGE_PACED, ClosedLoop.run("paced", callers, perSecond, warmup, measure, MAX_CALLS_PER_STEP,
        true, this::coverageCheck, meter), Step.round(perSecond), null);
  }

  Step settlement(int concurrency, Duration warmup, Duration measure) throws InterruptedException {
    InboxSubscriber inbox = clients.inbox();
    long duplicatesBefore = inbox.duplicates();
    long subscriberErrorsBefore = inbox.errors();
    inbox.swapDeliveryLatency();
    ClosedLoop.Result r = ClosedLoop.run("settlement", concurrency, warmup, measure, MAX_CALLS_PER_STEP,
        this::submitSettlement, meter);
    long drainNanos = inbox.awaitDrained(DRAIN_TIMEOUT_MS);
    ResourceMeter.Spent spent = meter.spent(r.windowStart(), meter.snapshot());
    Latency delivery = Latency.of(LatencyRecorder.merge(java.util.List.of(inbox.swapDeliveryLatency())));
    Step.Settlement s = new Step.Settlement(r.completed(), drainNanos < 0 ? -1 : Step.round(drainNanos / 1e6),
        inbox.pendingCount(), inbox.duplicates() - duplicatesBefore, Step.ms(delivery.p50()), Step.ms(delivery.p99()),
        inbox.errors() - subscriberErrorsBefore, Step.round(spent.jvmCpuSeconds()),
        spent.postgresCpuSeconds() < 0 ? -1 : Step.round(spent.postgresCpuSeconds()));
    String firstError = r.firstError() != null ? r.firstError() : inbox.firstError();
    return Step.of(SETTLEMENT, new ClosedLoop.Result(r.concurrency(), r.completed(), r.errors(), r.seconds(),
        r.latency(), r.usage(), r.windowStart(), firstError, r.tail()), null, s);
  }

  /** What a bureau does for one coverage check: seal, call through the gateway, open the decision. */
  void coverageCheck() throws Exception {
    SealedEnvelope request = Messages.sealQuery(clients.bureau(), clients.lead());
    SealedEnvelope answer = EligibilityServiceGrpc.newBlockingStub(clients.bureau().channel)
        .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).checkCoverage(request);
    Messages.openDecision(clients.bureau(), clients.lead(), answer);
  }

  /** What a bureau does for one settlement record: seal with an idempotency key, submit, get it accepted. */
  void submitSettlement() throws Exception {
    String id = "S-" + SETTLEMENT_SEQ.incrementAndGet();
    EnvelopeHeader.Builder header = Messages.settlementHeader(clients.bureau(), clients.coInsurer(), id);
    String messageId = header.getMessageId();
    SealedEnvelope envelope = clients.bureau().seal(header, Messages.settlement(id), clients.coInsurer());
    clients.inbox().expect(messageId);
    try {
      Acceptance a = SettlementServiceGrpc.newBlockingStub(clients.bureau().channel)
          .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).submitSettlement(envelope);
      if (!a.getMessageId().equals(messageId) || a.getReplayed()) {
        throw new IllegalStateException("unexpected acceptance " + a);
      }
    } catch (Exception | Error e) {
      clients.inbox().forget(messageId);
      throw e;
    }
  }
}
