package io.hmb.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.SettlementData;
import io.hmb.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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

  @Test
  void eachMessageIsAcknowledgedOnlyAfterItsHandlerReturned() throws Exception {
    subscriber().start();
    String first = submit("S-1");
    String second = submit("S-2");

    Await.until("both settlements acknowledged", () -> gateway.acknowledged.size() == 2);

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
    Await.until("the handler's failure on " + id, () -> gateway.events.contains("failed " + id));

    // The gateway sends it again after its acknowledgement timeout.
    gateway.enqueueInbox(gateway.pushedOrInboxCopy(id, 2));
    Await.until("the acknowledgement of " + id, () -> gateway.acknowledged.contains(id));

    assertThat(gateway.acknowledged).containsExactly(id);
    assertThat(handled).containsExactly("S-3");
    assertThat(gateway.events.indexOf("failed " + id)).isLessThan(gateway.events.indexOf("handled " + id));
  }

  @Test
  void repeatIsAcknowledgedWithoutHandlingAgain() throws Exception {
    subscriber().start();
    String id = submit("S-4");
    Await.until("the acknowledgement of " + id, () -> gateway.acknowledged.contains(id));

    gateway.enqueueInbox(gateway.pushedOrInboxCopy(id, 2)); // the first acknowledgement was lost
    Await.until("the repeat acknowledged too", () -> gateway.acknowledged.size() == 2);

    assertThat(handled).containsExactly("S-4");
  }

  @Test
  void subscribesAgainAfterTheStreamBreaks() throws Exception {
    subscriber().start();
    Await.until("the subscription at the gateway", gateway::subscribed);
    gateway.breakStream();

    String id = submit("S-5");
    Await.until("the acknowledgement of " + id, () -> gateway.acknowledged.contains(id));

    assertThat(gateway.subscriptions.get()).isGreaterThanOrEqualTo(2);
    assertThat(handled).containsExactly("S-5");
  }

  @Test
  void closeCancelsTheStream() throws Exception {
    InboxSubscriber s = subscriber().start();
    Await.until("the subscription at the gateway", gateway::subscribed);

    s.close();

    Await.until("the stream cancelled at the gateway", () -> !gateway.subscribed());
    submit("S-6");
    Thread.sleep(100); // a negative check: nothing may be handled in this time; not synchronisation
    assertThat(handled).isEmpty();
    assertThat(gateway.acknowledged).isEmpty();
  }
}
