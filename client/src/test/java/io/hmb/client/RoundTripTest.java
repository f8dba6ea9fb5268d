package io.hmb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.DeductionReversal;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.InsuredStatus;
import io.hmb.api.v1.InsuredStatusQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.SettlementData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every pass-through type and the store-and-forward paths, end to end through the fake gateway. */
class RoundTripTest extends Fixture {
  final Map<String, DeductionReceipt> bureauLedger = new ConcurrentHashMap<>();
  final AtomicInteger bureauPostings = new AtomicInteger();
  final List<String> settlementsAtLead = new CopyOnWriteArrayList<>();
  final List<String> claimsAtBureau = new CopyOnWriteArrayList<>();

  GatewayClient hospital;
  GatewayClient bureau;
  GatewayClient lead;

  @BeforeEach
  void participants() throws Exception {
    hospital = client(HOSPITAL, HOSPITAL_KEY);
    bureau = client(BUREAU, BUREAU_KEY);
    lead = client(LEAD, LEAD_KEY);
    gateway.serveEndpoint(LEAD, RecipientEndpoint.builder(lead).allowCallsWithoutTls()
        .onCoverageQuery((q, ctx) -> CoverageDecision.newBuilder().setCovered(true).setProductCode(ctx.productCode())
            .setPolicyNumber("P-" + q.getPerson().getCertNumber().substring(14)).build())
        .onBenefitQuoteRequest((r, ctx) -> BenefitQuote.newBuilder()
            .setSettlementId(r.getSettlement().getSettlementId()).setPayoutFen(123_45).build())
        .onSettlementData((s, ctx) -> settlementsAtLead.add(s.getSettlementId()))
        .build());
    gateway.serveEndpoint(BUREAU, RecipientEndpoint.builder(bureau).allowCallsWithoutTls()
        .onInsuredStatusQuery((q, ctx) -> InsuredStatus.newBuilder().setInsured(true).setInGoodStanding(true)
            .setInsuredAdmdvs(DALIAN).build())
        // The bureau's rule: post each (sender, key) at most once and answer repeats from the ledger.
        .onDeductionRequest((r, ctx) -> bureauLedger.computeIfAbsent(ctx.sender() + "/" + ctx.idempotencyKey(), k -> {
          bureauPostings.incrementAndGet();
          return DeductionReceipt.newBuilder().setDeductionId("D-" + bureauPostings.get())
              .setState(DeductionReceipt.State.STATE_POSTED).setAmountFen(r.getAmountFen())
              .setIdempotencyKey(ctx.idempotencyKey()).build();
        }))
        .onDeductionReversal((r, ctx) -> DeductionReceipt.newBuilder().setDeductionId(r.getDeductionId())
            .setState(DeductionReceipt.State.STATE_REVERSED).build())
        .onClaimResult((c, ctx) -> claimsAtBureau.add(c.getClaimNumber()))
        .build());
  }

  @Test
  void hospitalChecksCoverageWithTheLeadInsurerOfTheProduct() {
    Answer<CoverageDecision> answer = new HospitalClient(hospital).checkCoverage(PRODUCT, coverageQuery());

    assertThat(answer.payload().getCovered()).isTrue();
    assertThat(answer.payload().getPolicyNumber()).isEqualTo("P-1234");
    assertThat(answer.payload().getProductCode()).isEqualTo(PRODUCT);
    assertThat(answer.sender()).isEqualTo(LEAD);
    assertThat(answer.correlationId()).isEqualTo(answer.requestMessageId());
    EnvelopeHeader sent = gateway.received.get(0);
    assertThat(sent.getRecipient()).isEqualTo(LEAD);
    assertThat(sent.getAdmdvs()).isEqualTo(DALIAN);
    assertThat(sent.getProductCode()).isEqualTo(PRODUCT);
    assertThat(sent.getIdempotencyKey()).isEmpty();
    assertThat(sent.getMessageId()).isEqualTo(answer.requestMessageId());
    assertThat(answer.toString()).doesNotContain(CERT_NUMBER).doesNotContain("P-1234");
  }

  @Test
  void bureauGetsABenefitQuote() {
    Answer<BenefitQuote> answer = new BureauClient(bureau).quoteBenefit(PRODUCT, "quote-1",
        BenefitQuoteRequest.newBuilder().setBinding(true)
            .setSettlement(SettlementData.newBuilder().setSettlementId("S-1")).build());

    assertThat(answer.payload().getPayoutFen()).isEqualTo(123_45);
    assertThat(answer.payload().getSettlementId()).isEqualTo("S-1");
    assertThat(gateway.received.get(0).getMessageType()).isEqualTo(MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST);
  }

  @Test
  void insurerChecksInsuredStatusWithTheBureau() {
    Answer<InsuredStatus> answer = new InsurerClient(lead).checkInsuredStatus(BUREAU,
        InsuredStatusQuery.newBuilder().setPerson(Person.newBuilder().setCertNumber(CERT_NUMBER)).build());

    assertThat(answer.payload().getInsured()).isTrue();
    assertThat(answer.sender()).isEqualTo(BUREAU);
    assertThat(gateway.received.get(0).getAdmdvs()).isEqualTo(DALIAN);
  }

  @Test
  void deductionAskedTwiceWithOneKeyIsPostedOnceAndTheStoredAnswerIsAccepted() {
    InsurerClient insurer = new InsurerClient(lead);
    DeductionRequest request = DeductionRequest.newBuilder().setProductCode(PRODUCT).setAmountFen(19_800).build();

    Answer<DeductionReceipt> first = insurer.requestDeduction(BUREAU, "ded-1", request);
    // Same operation again (say, after a crash before the receipt was stored): the gateway hands back
    // the stored answer, whose correlation_id names the first attempt, not this one.
    Answer<DeductionReceipt> again = insurer.requestDeduction(BUREAU, "ded-1", request);

    assertThat(first.payload().getState()).isEqualTo(DeductionReceipt.State.STATE_POSTED);
    assertThat(again.payload().getDeductionId()).isEqualTo(first.payload().getDeductionId());
    assertThat(again.correlationId()).isEqualTo(first.requestMessageId()).isNotEqualTo(again.requestMessageId());
    assertThat(bureauPostings).hasValue(1);
    assertThat(gateway.received).extracting(EnvelopeHeader::getIdempotencyKey).containsExactly("ded-1", "ded-1");
    assertThat(gateway.received.get(0).getContentDigest()).isEqualTo(gateway.received.get(1).getContentDigest());
  }

  @Test
  void deductionIsReversed() {
    Answer<DeductionReceipt> answer = new InsurerClient(lead).reverseDeduction(BUREAU, "dalian-2025-upgrade", "rev-1",
        DeductionReversal.newBuilder().setDeductionId("D-9").setReason("cancelled before effective date").build());

    assertThat(answer.payload().getState()).isEqualTo(DeductionReceipt.State.STATE_REVERSED);
    assertThat(gateway.received.get(0).getMessageType()).isEqualTo(MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL);
    assertThat(gateway.received.get(0).getProductCode()).as("the gateway authorises a reversal by its product")
        .isEqualTo("dalian-2025-upgrade");
  }

  @Test
  void deductionWithoutKeyIsRefusedBeforeSending() {
    assertThatThrownBy(() -> OutboundMessage.builder(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST,
        DeductionRequest.getDefaultInstance()).to(BUREAU).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("idempotency key");
    assertThatThrownBy(() -> new InsurerClient(lead).requestDeduction(BUREAU, "bad key!", DeductionRequest.getDefaultInstance()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(gateway.received).isEmpty();
  }

  @Test
  void settlementIsStoredForwardedAndARetryIsReplayedNotDelivered() {
    BureauClient b = new BureauClient(bureau);
    SettlementData data = SettlementData.newBuilder().setSettlementId("S-100").build();

    Acceptance first = b.submitSettlement(PRODUCT, "setl-S-100", data);
    Acceptance retry = b.submitSettlement(PRODUCT, "setl-S-100", data);

    assertThat(first.getReplayed()).isFalse();
    assertThat(retry.getReplayed()).isTrue();
    assertThat(retry.getMessageId()).isEqualTo(first.getMessageId());
    assertThat(settlementsAtLead).containsExactly("S-100");
    assertThat(gateway.received.get(0).getExpireTime().getSeconds() - gateway.received.get(0).getCreateTime().getSeconds())
        .isEqualTo(GatewayClient.DEFAULT_STORE_AND_FORWARD_LIFETIME.toSeconds());
  }

  @Test
  void uploadReturnsAcceptancesInOrder() {
    List<Keyed<SettlementData>> batch = List.of(
        new Keyed<>("u-1", SettlementData.newBuilder().setSettlementId("S-1").build()),
        new Keyed<>("u-2", SettlementData.newBuilder().setSettlementId("S-2").build()),
        new Keyed<>("u-3", SettlementData.newBuilder().setSettlementId("S-3").build()));

    List<Acceptance> accepted = new BureauClient(bureau).uploadSettlements(PRODUCT, batch);

    assertThat(accepted).hasSize(3);
    assertThat(accepted).extracting(Acceptance::getMessageId)
        .containsExactlyElementsOf(gateway.received.stream().map(EnvelopeHeader::getMessageId).toList());
    assertThat(settlementsAtLead).containsExactly("S-1", "S-2", "S-3");
  }

  @Test
  void uploadStoppedByTheGatewayNamesWhatWasAccepted() {
    gateway.refuseUploadAt = 1;
    List<Keyed<SettlementData>> batch = List.of(
        new Keyed<>("p-1", SettlementData.newBuilder().setSettlementId("S-1").build()),
        new Keyed<>("p-2", SettlementData.newBuilder().setSettlementId("S-2").build()));

    assertThatThrownBy(() -> new BureauClient(bureau).uploadSettlements(PRODUCT, batch))
        .isInstanceOfSatisfying(PartialUploadException.class, e -> {
          assertThat(e.reason()).contains(ErrorReason.NOT_AUTHORISED);
          assertThat(e.accepted()).hasSize(1);
        });
    assertThat(settlementsAtLead).containsExactly("S-1");
  }

  @Test
  void claimResultReachesTheBureau() {
    Acceptance a = new InsurerClient(lead).publishClaimResult(BUREAU, "claim-C1-v1",
        ClaimResult.newBuilder().setClaimNumber("C1").setVersion(1).setProductCode(PRODUCT).build());

    assertThat(a.getMessageId()).isNotEmpty();
    assertThat(claimsAtBureau).containsExactly("C1");
    assertThat(gateway.received.get(0).getAdmdvs()).isEqualTo(DALIAN);
  }
}
