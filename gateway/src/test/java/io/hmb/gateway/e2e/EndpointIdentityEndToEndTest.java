package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import io.hmb.gateway.delivery.DeliveryQueue;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.gateway.tls.GatewayTls;
import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.testing.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security II, finding 2: with an insurer's endpoint pointed at a server holding a hospital's certificate,
 * the gateway pushed settlements there and marked them ACKNOWLEDGED, so the insurer never got them. The
 * gateway now pushes only to an endpoint presenting the recipient's identity, and acknowledges only on the
 * recipient's signed acknowledgement.
 */
class EndpointIdentityEndToEndTest {
  @TempDir static Path dataDir;
  static Gateway gateway;
  static TestParty bureau;
  static TestParty hospital;
  static TestParty lead;
  static DevCertificateAuthority ca;
  TestEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    DeliveryPolicy twoAttempts = new DeliveryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(50), 20);
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir).deliveryPolicy(twoAttempts),
        Clock.systemUTC());
    lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    hospital = TestParty.register(gateway, "HOSPITAL-210200-01", Role.ROLE_HOSPITAL, "210200", Optional.empty());
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code,
        LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
    ca = GatewayTls.certificateAuthority(dataDir.resolve("tls"), Clock.systemUTC());
  }

  @AfterEach
  void stopEndpoint() throws Exception {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (TestParty p : List.of(bureau, hospital, lead)) {
      p.close();
    }
    gateway.close();
  }

  /** Serves as {@code owner} (or with {@code certificate}) and registers it as the lead insurer's endpoint. */
  TestEndpoint leadsEndpointAt(TestParty owner, TlsIdentity certificate) throws Exception {
    endpoint = new TestEndpoint(owner, gateway).presenting(certificate).start();
    gateway.admin().setEndpoint(lead.code, Optional.of(endpoint.address()));
    return endpoint;
  }

  static String settle(String id) {
    Acceptance a = SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, "210200")
            .setIdempotencyKey("setl-" + id), SettlementData.newBuilder().setSettlementId(id).build(), lead));
    return a.getMessageId();
  }

  static DeliveryQueue.DeadLetter deadLetter(String messageId) throws Exception {
    Await.until("message " + messageId + " dead-lettered", () -> deadLetters().stream()
        .anyMatch(d -> d.messageId().equals(messageId)));
    return deadLetters().stream().filter(d -> d.messageId().equals(messageId)).findFirst().orElseThrow();
  }

  static List<DeliveryQueue.DeadLetter> deadLetters() {
    try {
      return gateway.admin().deadLetters(100);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aServerHoldingAHospitalsCertificateOfTheOldProfileGetsNothingAndAcknowledgesNothing() throws Exception {
    // The hospital's certificate as issue-cert made it before: both EKUs, localhost, 127.0.0.1.
    TestEndpoint impostor = leadsEndpointAt(hospital, ca.issueLegacyParticipant(hospital.code,
        DevCertificateAuthority.DEFAULT_VALIDITY));

    String settlement = settle("S-IMPOSTOR-1");

    assertThat(deadLetter(settlement).lastError()).startsWith("UNAVAILABLE");
    assertThat(impostor.rawDeliveries).isEmpty(); // refused at the handshake: not one byte of the message
    assertThat(CoreEndToEndTestAudit.events(gateway, settlement)).doesNotContain("ACKNOWLEDGED");
  }

  @Test
  void aServerWithTheHospitalsOwnEndpointCertificateIsNotTheInsurersEndpoint() throws Exception {
    TestEndpoint impostor = leadsEndpointAt(hospital, hospital.endpointTls());

    String settlement = settle("S-IMPOSTOR-2");

    assertThat(deadLetter(settlement).lastError()).startsWith("UNAVAILABLE");
    assertThat(impostor.rawDeliveries).isEmpty();
  }

  @Test
  void aReceiptWithoutTheRecipientsSignedAcknowledgementIsAFailedPush() throws Exception {
    TestEndpoint insurer = leadsEndpointAt(lead, null);
    insurer.unsignedReceipts(true);

    String settlement = settle("S-UNSIGNED");

    assertThat(deadLetter(settlement).lastError()).isEqualTo("receipt refused: the receipt carries no signed acknowledgement");
    assertThat(insurer.rawDeliveries).hasSize(2).containsOnly(settlement); // delivered, but not acknowledged

    insurer.unsignedReceipts(false); // the insurer on the SDK that signs: the operator re-drives
    assertThat(gateway.admin().redrive(settlement)).isEqualTo(1);
    Await.until("the gateway's record of the acknowledgement",
        () -> CoreEndToEndTestAudit.events(gateway, settlement).contains("ACKNOWLEDGED"));
  }

  @Test
  void anAcknowledgementSignedWithAnotherParticipantsKeyIsRefused() throws Exception {
    TestEndpoint insurer = leadsEndpointAt(lead, null);
    insurer.receiptsSignedBy(hospital); // e.g. an endpoint whose TLS key leaked, run by the hospital

    String settlement = settle("S-FORGED-ACK");

    assertThat(deadLetter(settlement).lastError()).isEqualTo("receipt refused: the acknowledgement does not verify: "
        + "KEY_UNKNOWN");
    assertThat(CoreEndToEndTestAudit.events(gateway, settlement)).doesNotContain("ACKNOWLEDGED");
  }

  @Test
  void anInsurersCertificateOfTheOldProfileStillServesItsOwnEndpoint() throws Exception {
    TestEndpoint insurer = leadsEndpointAt(lead, ca.issueLegacyParticipant(lead.code,
        DevCertificateAuthority.DEFAULT_VALIDITY));

    String settlement = settle("S-LEGACY");

    Await.until("the gateway's record of the acknowledgement",
        () -> CoreEndToEndTestAudit.events(gateway, settlement).contains("ACKNOWLEDGED"));
    assertThat(insurer.processed).contains(settlement);
  }

  @Test
  void aParticipantsClientCertificateOfTheOldProfileStillCallsTheGateway() throws Exception {
    io.grpc.ManagedChannel old = io.grpc.Grpc.newChannelBuilder("localhost:" + gateway.port(),
        io.hmb.security.tls.MutualTls.toGateway(ca.issueLegacyParticipant(bureau.code,
            DevCertificateAuthority.DEFAULT_VALIDITY), gateway.admin().trustBundle())).build();
    try {
      assertThat(io.hmb.api.v1.DirectoryServiceGrpc.newBlockingStub(old).withDeadlineAfter(5, TimeUnit.SECONDS)
          .getParticipant(io.hmb.api.v1.GetParticipantRequest.newBuilder().setCode(lead.code).build()).getCode())
          .isEqualTo(lead.code);
    } finally {
      old.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
