package io.hmb.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.SettlementData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lead insurer exposes no port: it pulls its settlements from the inbox. */
class InboxSubscriberTest extends Fixture {
  final List<String> handled = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();
  GatewayClient lead;
  BureauClient bureau;

  @BeforeEach
  void clients() {
    lead = client(LEAD, LEAD_KEY);
    bureau = new BureauClient(client(BUREAU, BUREAU_KEY));
  }

  InboxSubscriber subscriber() {
    return closeAfter(InboxSubscriber.builder(lead)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .onSettlementData((s, ctx) -> {
          if (failuresLeft.getAndDecrement() > 0) {
            gateway.events.add("failed " + ctx.messageId());
            throw new IllegalStateException("database down");
          }
          handled.add(s.getSettlementId());
          gateway.events.add("handled " + ctx.messageId());
        })
        .build());
  }

  String submit(String settlementId) {
    Acceptance a = bureau.submitSettlement(PRODUCT, "setl-" + settlementId,
        SettlementData.newBuilder().setSettlementId(settlementId).build());
    return a.getMessageId();
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 5 s");
      }
      Thread.sleep(10);
    }
  }

  @Test
  void eachMessageIsAcknowledgedOnlyAfterItsHandlerReturned() throws Exception {
    subscriber().start();
    String first = submit("S-1");
    String second = submit("S-2");

    await(() -> gateway.acknowledged.size() == 2);

    assertThat(handled).containsExactly("S-1", "S-2");
    assertThat(gateway.acknowledged).containsExactly(first, second);
    for (String id : List.of(first, second)) {
      assertThat(gateway.events.indexOf("handled " + id)).isLessThan(gateway.events.indexOf("acked " + id));
    }
  }

  @Test
  void failedHandlerLeavesTheMessageUnacknowledgedUntilItSucceeds() throws Exception {
    failuresLeft.set(1);
    subscriber().start();
    String id = submit("S-3");
    await(() -> gateway.events.contains("failed " + id));

    // The gateway sends it again after its acknowledgement timeout.
    gateway.enqueueInbox(gateway.pushedOrInboxCopy(id, 2));
    await(() -> gateway.acknowledged.contains(id));

    assertThat(gateway.acknowledged).containsExactly(id);
    assertThat(handled).containsExactly("S-3");
    assertThat(gateway.events.indexOf("failed " + id)).isLessThan(gateway.events.indexOf("handled " + id));
  }

  @Test
  void repeatIsAcknowledgedWithoutHandlingAgain() throws Exception {
    subscriber().start();
    String id = submit("S-4");
    await(() -> gateway.acknowledged.contains(id));

    gateway.enqueueInbox(gateway.pushedOrInboxCopy(id, 2)); // the first acknowledgement was lost
    await(() -> gateway.acknowledged.size() == 2);

    assertThat(handled).containsExactly("S-4");
  }

  @Test
  void subscribesAgainAfterTheStreamBreaks() throws Exception {
    subscriber().start();
    await(gateway::subscribed);
    gateway.breakStream();

    String id = submit("S-5");
    await(() -> gateway.acknowledged.contains(id));

    assertThat(gateway.subscriptions.get()).isGreaterThanOrEqualTo(2);
    assertThat(handled).containsExactly("S-5");
  }

  @Test
  void closeCancelsTheStream() throws Exception {
    InboxSubscriber s = subscriber().start();
    await(gateway::subscribed);

    s.close();

    await(() -> !gateway.subscribed());
    submit("S-6");
    Thread.sleep(100);
    assertThat(handled).isEmpty();
    assertThat(gateway.acknowledged).isEmpty();
  }
}
