package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.AcknowledgeRequest;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.api.v1.SubscribeRequest;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber stream's in-flight window, driven by wake-ups alone (the poll is an hour away): messages accepted
 * while the window is full wait, an acknowledgement hands over the next ones at once, and once the window has room
 * again a newly accepted message is handed over at once. The stream skips the claims a full window makes useless
 * (InboxService); this shows it skips none that could deliver. And a larger full window is refilled once
 * acknowledgements free a quarter of it (InboxService.REFILL_SHARE), not after every one: each claim counts
 * everything in flight. Each case has a co-insurer of its own, so that neither counts the other's messages in flight.
 */
class InboxWindowEndToEndTest {
  @TempDir static Path dataDir;
  static Gateway gateway;
  static TestParty bureau;
  static TestParty lead;
  static TestParty coInsurer;
  static TestParty otherCoInsurer;

  @BeforeAll
  static void start() throws Exception {
    DeliveryPolicy d = DeliveryPolicy.DEFAULTS;
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir)
        .deliveryPolicy(new DeliveryPolicy(d.maxAttempts(), d.initialBackoff(), d.maxBackoff(), d.pushTimeout(),
            d.ackTimeout(), Duration.ofHours(1), d.batchSize())), Clock.systemUTC());
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    coInsurer = TestParty.register(gateway, "INSURER-CO-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    otherCoInsurer = TestParty.register(gateway, "INSURER-CO2-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code, LocalDate.of(2025, 11, 1),
        LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 7000), new Product.Member(coInsurer.code, 2000),
            new Product.Member(otherCoInsurer.code, 1000))));
  }

  @AfterAll
  static void stop() throws Exception {
    for (TestParty p : List.of(bureau, lead, coInsurer, otherCoInsurer)) {
      p.close();
    }
    gateway.close();
  }

  @Test
  void aFullWindowWaitsForAnAcknowledgementAndAWindowWithRoomTakesANewMessageAtOnce() throws Exception {
    // Sent before the stream opens, so that its first pass (at subscription) takes both and fills the window; from
    // then on only wake-ups claim.
    String m1 = send("w-1", coInsurer);
    String m2 = send("w-2", coInsurer);
    List<String> received = new CopyOnWriteArrayList<>();
    Context.CancellableContext stream = subscribe(coInsurer, 2, received);
    try {
      Await.until("the first two on the stream", () -> received.size() == 2);
      assertThat(received).containsExactly(m1, m2);

      String m3 = send("w-3", coInsurer);
      String m4 = send("w-4", coInsurer);
      String m5 = send("w-5", coInsurer);
      Thread.sleep(500); // a negative check: the full window takes none of them in this time; not synchronisation
      assertThat(received).containsExactly(m1, m2);

      acknowledge(coInsurer, m1, m2);
      Await.until("the next two once the first two are acknowledged", () -> received.size() == 4);
      assertThat(received).containsExactly(m1, m2, m3, m4);

      acknowledge(coInsurer, m3, m4);
      Await.until("the fifth, which leaves room in the window", () -> received.size() == 5);
      assertThat(received.get(4)).isEqualTo(m5);

      // One of two in flight: a message accepted now is handed over at once, not at the next poll.
      String m6 = send("w-6", coInsurer);
      Await.until("the sixth, woken by its acceptance", () -> received.size() == 6);
      assertThat(received.get(5)).isEqualTo(m6);
    } finally {
      stream.cancel(null);
    }
  }

  @Test
  void aFullWindowIsRefilledOnceAQuarterOfItIsAcknowledged() throws Exception {
    int window = 8;
    List<String> sent = new ArrayList<>();
    for (int i = 1; i <= window + 2; i++) {
      sent.add(send("r-" + i, otherCoInsurer)); // before the stream opens: its first pass fills the window
    }
    List<String> received = new CopyOnWriteArrayList<>();
    Context.CancellableContext stream = subscribe(otherCoInsurer, window, received);
    try {
      Await.until("a full window on the stream", () -> received.size() == window);
      assertThat(received).containsExactlyElementsOf(sent.subList(0, window));

      acknowledge(otherCoInsurer, sent.get(0));
      Thread.sleep(500); // a negative check: one of eight acknowledged refills nothing in this time; not synchronisation
      assertThat(received).hasSize(window);

      acknowledge(otherCoInsurer, sent.get(1));
      Await.until("the next two once a quarter of the window is acknowledged", () -> received.size() == window + 2);
      assertThat(received).containsExactlyElementsOf(sent);
    } finally {
      stream.cancel(null);
    }
  }

  /** Opens {@code party}'s Subscribe stream with {@code window} in flight; its deliveries' ids go to {@code received}. */
  private static Context.CancellableContext subscribe(TestParty party, int window, List<String> received) {
    Context.CancellableContext stream = Context.current().withCancellation();
    stream.run(() -> DeliveryServiceGrpc.newStub(party.channel).subscribe(
        SubscribeRequest.newBuilder().setMaxInFlight(window).build(), new StreamObserver<Delivery>() {
          @Override
          public void onNext(Delivery d) {
            received.add(d.getMessageId());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        }));
    return stream;
  }

  private static void acknowledge(TestParty party, String... messageIds) {
    var answer = DeliveryServiceGrpc.newBlockingStub(party.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .acknowledge(AcknowledgeRequest.newBuilder().addAllMessageIds(List.of(messageIds)).build());
    assertThat(answer.getAcknowledgedCount()).isEqualTo(messageIds.length);
  }

  private static String send(String key, TestParty recipient) {
    Person person = Person.newBuilder().setCertType("01").setCertNumber("210202198001011234").setName("李四").build();
    return SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, recipient, "210200")
            .setIdempotencyKey(key).setProductCode("dalian-2025-basic"),
            SettlementData.newBuilder().setPerson(person).setSettlementId(key).build(), recipient)).getMessageId();
  }
}
