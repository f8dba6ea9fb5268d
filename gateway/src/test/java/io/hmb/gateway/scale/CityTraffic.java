package io.hmb.gateway.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.PremiumServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.client.NodeCalls;
import io.hmb.gateway.support.TestParty;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One city's clients, behaving as the SDK does: each operation has an idempotency key fixed before the
 * first attempt; on a transient failure it is sent again (same key, same content, new envelope) until
 * the gateway answers. Calls go over the round-robin channel; some retries go on purpose to the node
 * that did not answer the original. Records what was acknowledged, in the order the gateway
 * acknowledged it per sender-recipient pair.
 */
final class CityTraffic {
  private static final long DEADLINE_SECONDS = 5;
  private static final int MAX_ATTEMPTS = 100;
  private static final long RETRY_BACKOFF_MS = 100;
  private static final Set<Status.Code> TRANSIENT = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
      Status.Code.RESOURCE_EXHAUSTED, Status.Code.CANCELLED, Status.Code.UNKNOWN, Status.Code.ABORTED);

  private final City city;
  private final NodePorts nodes;
  private final AtomicInteger failedCalls;
  final List<String> settlementKeys = new CopyOnWriteArrayList<>();
  /** Idempotency key -> the message_id of its Acceptance. */
  final Map<String, String> acknowledgedSettlements = new ConcurrentHashMap<>();
  /** "sender>recipient" -> acknowledged message ids in acknowledgement order. */
  final Map<String, List<String>> acknowledgedByPair = new ConcurrentHashMap<>();
  /** Idempotency key -> the receipt the insurer opened. */
  final Map<String, DeductionReceipt> receipts = new ConcurrentHashMap<>();
  /** Deductions retried on the other node after their answer: the retry must not reach the bureau. */
  final List<String> retriedAfterAnswer = new CopyOnWriteArrayList<>();
  /** Deductions sent to both nodes at the same moment. */
  final List<String> raced = new CopyOnWriteArrayList<>();
  final AtomicInteger settlementRetriesOnOtherNode = new AtomicInteger();

  CityTraffic(City city, NodePorts nodes, AtomicInteger failedCalls) {
    this.city = city;
    this.nodes = nodes;
    this.failedCalls = failedCalls;
  }

  static String pair(String sender, String recipient) {
    return sender + ">" + recipient;
  }

  /**
   * Settlement data {@code from} to {@code to - 1}, each acknowledged before the next is sent: even
   * numbers to the lead insurer (push), odd to the co-insurer (inbox). With {@code retryOnOtherNode},
   * every fourth is sent again to the other node and must come back as the same, replayed Acceptance.
   */
  void sendSettlements(int from, int to, boolean retryOnOtherNode, Runnable onAcknowledged) {
    for (int i = from; i < to; i++) {
      String key = "s-" + city.admdvs + "-" + i;
      TestParty recipient = i % 2 == 0 ? city.lead : city.coInsurer;
      SettlementData data = SettlementData.newBuilder().setSettlementId(key).setMedicalFeeTotalFen(100_000 + i).build();
      settlementKeys.add(key);
      AtomicReference<InetSocketAddress> servedBy = new AtomicReference<>();
      Acceptance accepted = untilAnswered(() -> SettlementServiceGrpc.newBlockingStub(city.bureauChannels.roundRobin)
          .withOption(NodeCalls.ANSWERED_BY, servedBy).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
          .submitSettlement(sealSettlement(key, data, recipient)));
      acknowledgedSettlements.put(key, accepted.getMessageId());
      acknowledgedByPair.computeIfAbsent(pair(city.bureau.code, recipient.code), p -> new CopyOnWriteArrayList<>())
          .add(accepted.getMessageId());
      onAcknowledged.run();
      if (retryOnOtherNode && i % 4 == 0) {
        Acceptance again = SettlementServiceGrpc.newBlockingStub(city.bureauChannels.pinnedTo(nodes.other(servedBy.get().getPort())))
            .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).submitSettlement(sealSettlement(key, data, recipient));
        assertThat(again.getReplayed()).as("%s retried on the other node is a replay", key).isTrue();
        assertThat(again.getMessageId()).as("%s retried on the other node", key).isEqualTo(accepted.getMessageId());
        settlementRetriesOnOtherNode.incrementAndGet();
      }
    }
  }

  /**
   * Deductions {@code from} to {@code to - 1} from the lead insurer to the bureau, one after the other.
   * With {@code retryOnOtherNode}, each is sent again to the other node after its answer: the gateway
   * must answer from its store (the identical envelope) without asking the bureau again.
   */
  void sendDeductions(int from, int to, boolean retryOnOtherNode) throws Exception {
    for (int i = from; i < to; i++) {
      String key = "d-" + city.admdvs + "-" + i;
      DeductionRequest payload = deduction(i);
      AtomicReference<InetSocketAddress> servedBy = new AtomicReference<>();
      SealedEnvelope answer = untilAnswered(() -> PremiumServiceGrpc.newBlockingStub(city.leadChannels.roundRobin)
          .withOption(NodeCalls.ANSWERED_BY, servedBy).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
          .requestDeduction(sealDeduction(key, payload)));
      receipts.put(key, openReceipt(answer));
      if (retryOnOtherNode) {
        SealedEnvelope again = PremiumServiceGrpc.newBlockingStub(city.leadChannels.pinnedTo(nodes.other(servedBy.get().getPort())))
            .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).requestDeduction(sealDeduction(key, payload));
        assertThat(again).as("%s retried on the other node gets the stored answer", key).isEqualTo(answer);
        retriedAfterAnswer.add(key);
      }
    }
  }

  /**
   * Deductions whose first attempt and retry reach the two nodes at the same moment (a client that
   * timed out and retried at once, say): one message row may win, the other waits on the unique key and
   * then forwards again or replays; either way the insurer gets the bureau's one receipt.
   */
  void raceDeductions(int from, int to, ExecutorService threads) throws Exception {
    for (int i = from; i < to; i++) {
      String key = "r-" + city.admdvs + "-" + i;
      DeductionRequest payload = deduction(i);
      CyclicBarrier together = new CyclicBarrier(nodes.both().size());
      List<Future<SealedEnvelope>> answers = new ArrayList<>();
      for (int port : nodes.both()) {
        answers.add(threads.submit(() -> {
          SealedEnvelope request = sealDeduction(key, payload);
          together.await(10, TimeUnit.SECONDS);
          return untilAnswered(() -> PremiumServiceGrpc.newBlockingStub(city.leadChannels.pinnedTo(port))
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).requestDeduction(request));
        }));
      }
      SealedEnvelope first = answers.get(0).get(30, TimeUnit.SECONDS);
      SealedEnvelope second = answers.get(1).get(30, TimeUnit.SECONDS);
      DeductionReceipt receipt = openReceipt(first);
      if (!second.equals(first)) { // forwarded twice: two envelopes, one receipt
        assertThat(openReceipt(second)).as("both answers to %s", key).isEqualTo(receipt);
      }
      receipts.put(key, receipt);
      raced.add(key);
    }
  }

  private static DeductionRequest deduction(int i) {
    return DeductionRequest.newBuilder().setAmountFen(8_900 + i).build();
  }

  private SealedEnvelope sealSettlement(String key, SettlementData data, TestParty recipient) {
    return city.bureau.seal(city.bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, recipient, city.admdvs)
        .setIdempotencyKey(key), data, recipient);
  }

  private SealedEnvelope sealDeduction(String key, DeductionRequest payload) {
    return city.lead.seal(city.lead.header(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, city.bureau, city.admdvs)
        .setIdempotencyKey(key).setProductCode("scale-" + city.admdvs), payload, city.bureau);
  }

  private DeductionReceipt openReceipt(SealedEnvelope answer) throws Exception {
    return city.lead.open(answer, city.bureau, DeductionReceipt.parser()).payload();
  }

  /** Sends until the gateway answers; a refusal that retrying cannot fix fails the test at once. */
  private <T> T untilAnswered(Callable<T> attempt) {
    for (int tries = 1; ; tries++) {
      try {
        return attempt.call();
      } catch (StatusRuntimeException e) {
        if (!TRANSIENT.contains(e.getStatus().getCode()) || tries >= MAX_ATTEMPTS) {
          throw new AssertionError("no answer after " + tries + " attempts: " + e.getStatus(), e);
        }
        failedCalls.incrementAndGet();
        backOff();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  private static void backOff() {
    try {
      Thread.sleep(RETRY_BACKOFF_MS); // a client's retry delay, not synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while retrying", e);
    }
  }
}
