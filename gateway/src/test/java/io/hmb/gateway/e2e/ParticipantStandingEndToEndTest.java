package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.AuditLogServiceGrpc;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetCheckpointRequest;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.ListProductsRequest;
import io.hmb.api.v1.ListProductsResponse;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.ResolveProductRequest;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.api.v1.SubscribeRequest;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestParty;
import io.hmb.security.tls.MutualTls;
import io.hmb.testing.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A participant's standing is checked on every hmb.v1 call, not only on envelopes: a suspended, an
 * unregistered and a revoked-key certificate can read neither the directory nor the audit log nor an
 * inbox, and a stream opened before a suspension hands over nothing after it.
 */
class ParticipantStandingEndToEndTest {
  @TempDir static Path dataDir;
  static Gateway gateway;
  static TestParty bureau;
  static TestParty lead;
  static TestParty coInsurer;

  @BeforeAll
  static void start() throws Exception {
    // An unacknowledged inbox delivery is handed over again after 1 s (60 s by default).
    var policy = io.hmb.gateway.delivery.DeliveryPolicy.DEFAULTS;
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir)
        .deliveryPolicy(new io.hmb.gateway.delivery.DeliveryPolicy(policy.maxAttempts(), policy.initialBackoff(),
            policy.maxBackoff(), policy.pushTimeout(), java.time.Duration.ofSeconds(1), policy.pollInterval(),
            policy.batchSize())), Clock.systemUTC());
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

  private static ErrorReason reasonOf(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      return Errors.reason(e).orElseThrow(() -> new AssertionError("no hmb reason in " + e));
    }
    throw new AssertionError("the call was answered");
  }

  private static void refusedEverywhere(ManagedChannel channel, ErrorReason expected) throws Exception {
    assertThat(reasonOf(() -> DirectoryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .getParticipant(GetParticipantRequest.newBuilder().setCode("BUREAU-210200").build()))).isEqualTo(expected);
    assertThat(reasonOf(() -> DirectoryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .resolveProduct(ResolveProductRequest.newBuilder().setProductCode("dalian-2025-basic").build()))).isEqualTo(expected);
    assertThat(reasonOf(() -> DirectoryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .listProducts(ListProductsRequest.newBuilder().setAdmdvs("210200").build()))).isEqualTo(expected);
    assertThat(reasonOf(() -> AuditLogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .getCheckpoint(GetCheckpointRequest.getDefaultInstance()))).isEqualTo(expected);
    assertThat(reasonOf(() -> DeliveryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .subscribe(SubscribeRequest.getDefaultInstance()).hasNext())).isEqualTo(expected);
  }

  @Test
  void aParticipantInGoodStandingListsACitysProductsWithTheirTerms() {
    var directory = DirectoryServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    ListProductsResponse dalian = directory.listProducts(ListProductsRequest.newBuilder().setAdmdvs("210200").build());
    assertThat(dalian.getProductsList()).singleElement().satisfies(p -> {
      assertThat(p.getProductCode()).isEqualTo("dalian-2025-basic");
      assertThat(p.getLeadInsurer()).isEqualTo(lead.code);
      assertThat(p.getTermStart()).isEqualTo(com.google.type.Date.newBuilder().setYear(2025).setMonth(11).setDay(1).build());
      assertThat(p.getTermEnd()).isEqualTo(com.google.type.Date.newBuilder().setYear(2026).setMonth(10).setDay(31).build());
      assertThat(p.getMembersList()).extracting(m -> m.getInsurer() + ":" + m.getShareBp())
          .containsExactly(lead.code + ":7000", coInsurer.code + ":3000");
    });
    assertThat(directory.listProducts(ListProductsRequest.getDefaultInstance()).getProductsList()).hasSize(1);
    assertThat(directory.listProducts(ListProductsRequest.newBuilder().setAdmdvs("620600").build()).getProductsList())
        .isEmpty();
    assertThat(directory.resolveProduct(ResolveProductRequest.newBuilder().setProductCode("dalian-2025-basic").build()))
        .isEqualTo(dalian.getProducts(0));
  }

  @Test
  void aSuspendedParticipantCanCallNothingAndItsOpenStreamReceivesNothingUntilItIsBack() throws Exception {
    List<Delivery> received = new CopyOnWriteArrayList<>();
    // One delivery at a time and no acknowledgement: the gateway hands the same message over again every
    // second, on the stream the co-insurer opened while it was in good standing.
    DeliveryServiceGrpc.newStub(coInsurer.channel).subscribe(SubscribeRequest.newBuilder().setMaxInFlight(1).build(),
        new StreamObserver<>() {
          @Override
          public void onNext(Delivery d) {
            received.add(d);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    String first = send("s-1");
    Await.until("the settlement on the co-insurer's stream", () -> received.stream()
        .anyMatch(d -> d.getMessageId().equals(first)));

    gateway.admin().setStatus(coInsurer.code, Participant.Status.SUSPENDED);
    int before = received.size();
    refusedEverywhere(coInsurer.channel, ErrorReason.SENDER_SUSPENDED);
    Thread.sleep(3000); // three redelivery periods
    assertThat(received).as("nothing handed to a suspended participant's open stream").hasSize(before);

    gateway.admin().setStatus(coInsurer.code, Participant.Status.ACTIVE);
    Await.until("the settlement handed over again once the co-insurer is back (nothing was lost)",
        () -> received.size() > before && received.get(received.size() - 1).getMessageId().equals(first));
  }

  @Test
  void anUnregisteredCertificateCanCallNothing() throws Exception {
    ManagedChannel ghost = Grpc.newChannelBuilder("localhost:" + gateway.port(),
        MutualTls.client(gateway.admin().issueTlsIdentity("HOSPITAL-GHOST-210200"), gateway.admin().trustBundle())).build();
    try {
      refusedEverywhere(ghost, ErrorReason.SENDER_UNKNOWN);
    } finally {
      ghost.shutdownNow();
    }
  }

  @Test
  void aParticipantWhoseKeysAreAllRevokedCanCallNothing() throws Exception {
    TestParty hospital = TestParty.register(gateway, "HOSPITAL-REVOKED-210200", Role.ROLE_HOSPITAL, "210200",
        Optional.empty());
    try {
      gateway.admin().revokeKey(hospital.code, hospital.key.keyId());
      refusedEverywhere(hospital.channel, ErrorReason.KEY_REVOKED);
    } finally {
      hospital.close();
    }
  }

  private static String send(String key) {
    Person person = Person.newBuilder().setCertType("01").setCertNumber("210202198001011234").setName("李四").build();
    return SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, coInsurer, "210200")
            .setIdempotencyKey(key).setProductCode("dalian-2025-basic"),
            SettlementData.newBuilder().setPerson(person).setSettlementId(key).build(), coInsurer)).getMessageId();
  }
}
