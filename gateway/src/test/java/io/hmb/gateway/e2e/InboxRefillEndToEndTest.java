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
 * A full window is refilled once acknowledgements free a quarter of it (InboxService.REFILL_SHARE), not after every
 * one: each claim counts everything in flight. Driven by wake-ups alone (the poll is an hour away), a window of 8
 * stays full after one acknowledgement and takes the next two after the second.
 */
class InboxRefillEndToEndTest {
  private static final int WINDOW = 8;
  @TempDir static Path dataDir;
  static Gateway gateway;
  static TestParty bureau;
  static TestParty lead;
  static TestParty coInsurer;

  @BeforeAll
  static void start() throws Exception {
    DeliveryPolicy d = DeliveryPolicy.DEFAULTS;
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir)
        .deliveryPolicy(new DeliveryPolicy(d.maxAttempts(), d.initialBackoff(), d.maxBackoff(), d.pushTimeout(),
            d.ackTimeout(), Duration.ofHours(1), d.batchSize())), Clock.systemUTC());
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    coInsurer = TestParty.register(gateway, "INSURER-CO-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code, LocalDate.of(2025, 11, 1),
        LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 7000), new Product.Member(coInsurer.code, 3000))));
  }

  @AfterAll
  static void stop() throws Exception {
    for (TestParty p : List.of(bureau, lead, coInsurer)) {
      p.close();
    }
    gateway.close();
  }

  @Test
  void aFullWindowIsRefilledOnceAQuarterOfItIsAcknowledged() throws Exception {
    List<String> sent = new ArrayList<>();
    for (int i = 1; i <= WINDOW + 2; i++) {
      sent.add(send("r-" + i)); // before the stream opens: its first pass fills the window
    }
    List<String> received = new CopyOnWriteArrayList<>();
    Context.CancellableContext stream = Context.current().withCancellation();
    stream.run(() -> DeliveryServiceGrpc.newStub(coInsurer.channel).subscribe(
        SubscribeRequest.newBuilder().setMaxInFlight(WINDOW).build(), new StreamObserver<Delivery>() {
          @Override
          public void onNext(Delivery d) {
            received.add(d.getMessageId());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        }));
    try {
      Await.until("a full window on the stream", () -> received.size() == WINDOW);
      assertThat(received).containsExactlyElementsOf(sent.subList(0, WINDOW));

      acknowledge(sent.get(0));
      Thread.sleep(500); // a negative check: one of eight acknowledged refills nothing in this time; not synchronisation
      assertThat(received).hasSize(WINDOW);

      acknowledge(sent.get(1));
      Await.until("the next two once a quarter of the window is acknowledged", () -> received.size() == WINDOW + 2);
      assertThat(received).containsExactlyElementsOf(sent);
    } finally {
      stream.cancel(null);
    }
  }

  private static void acknowledge(String... messageIds) {
    var answer = DeliveryServiceGrpc.newBlockingStub(coInsurer.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .acknowledge(AcknowledgeRequest.newBuilder().addAllMessageIds(List.of(messageIds)).build());
    assertThat(answer.getAcknowledgedCount()).isEqualTo(messageIds.length);
  }

  private static String send(String key) {
    Person person = Person.newBuilder().setCertType("01").setCertNumber("210202198001011234").setName("李四").build();
    return SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, coInsurer, "210200")
            .setIdempotencyKey(key).setProductCode("dalian-2025-basic"),
            SettlementData.newBuilder().setPerson(person).setSettlementId(key).build(), coInsurer)).getMessageId();
  }
}
