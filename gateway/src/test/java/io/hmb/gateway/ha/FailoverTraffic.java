package io.hmb.gateway.ha;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bureau's traffic during a failover, as a well-behaved client sends it: settlements retried with the same
 * idempotency key (and a fresh envelope) until acknowledged, alternating nodes; coverage checks, which a caller
 * does not retry. Every acknowledgement and every refusal is recorded with its time.
 */
final class FailoverTraffic {
  /** A refusal a caller saw: when (ms since the traffic began), its gRPC code and ErrorInfo reason. */
  record Refusal(long atMillis, String code, String reason, boolean retryInfo) {}

  private final FailoverNetwork network;
  private final long began = System.nanoTime();
  /** Idempotency key -> message id of its Acceptance. */
  final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  /** When each acknowledgement arrived, ms since the traffic began. */
  final ConcurrentLinkedQueue<Long> acknowledgedAt = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Refusal> refusals = new ConcurrentLinkedQueue<>();
  final AtomicInteger coverageAnswered = new AtomicInteger();
  final AtomicInteger coverageRefused = new AtomicInteger();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicInteger sent = new AtomicInteger();

  FailoverTraffic(FailoverNetwork network) {
    this.network = network;
  }

  long nowMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
  }

  int sent() {
    return sent.get();
  }

  void stop() {
    stopped.set(true);
  }

  /** Sends settlements {@code prefix-0, prefix-1, ...}, each until acknowledged, until stopped. */
  Runnable settlements(String prefix, int firstNode) {
    return () -> {
      for (int i = 0; !stopped.get(); i++) {
        String key = prefix + "-" + i;
        sent.incrementAndGet();
        for (int attempt = 0; ; attempt++) {
          ManagedChannel channel = channel(firstNode + attempt);
          try {
            Acceptance a = SettlementServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .submitSettlement(network.bureau.seal(network.bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA,
                    network.lead, FailoverNetwork.CITY).setIdempotencyKey(key),
                    SettlementData.newBuilder().setSettlementId(key).build(), network.lead));
            String earlier = acknowledged.putIfAbsent(key, a.getMessageId());
            if (earlier != null && !earlier.equals(a.getMessageId())) {
              throw new AssertionError("key " + key + " acknowledged as two messages: " + earlier + ", "
                  + a.getMessageId());
            }
            acknowledgedAt.add(nowMillis());
            break;
          } catch (StatusRuntimeException e) {
            record(e);
            if (stopped.get() && attempt > 200) {
              throw new AssertionError("never acknowledged: " + key);
            }
            pause(100); // a client's retry delay
          }
        }
      }
    };
  }

  /** Coverage checks, one after another, until stopped; a refusal is counted, not retried. */
  Runnable coverageChecks() {
    return () -> {
      for (int i = 0; !stopped.get(); i++) {
        try {
          EligibilityServiceGrpc.newBlockingStub(channel(i)).withDeadlineAfter(3, TimeUnit.SECONDS)
              .checkCoverage(network.bureau.seal(network.bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY,
                  network.lead, FailoverNetwork.CITY), CoverageQuery.newBuilder().build(), network.lead));
          coverageAnswered.incrementAndGet();
        } catch (StatusRuntimeException e) {
          coverageRefused.incrementAndGet();
          record(e);
          pause(100);
        }
        pause(20);
      }
    };
  }

  private ManagedChannel channel(int i) {
    List<ManagedChannel> channels = network.bureauChannels;
    return channels.get(Math.floorMod(i, channels.size()));
  }

  private void record(StatusRuntimeException e) {
    refusals.add(new Refusal(nowMillis(), e.getStatus().getCode().name(),
        Errors.reason(e).map(ErrorReason::name).orElse("-"), Errors.retryDelay(e).isPresent()));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
