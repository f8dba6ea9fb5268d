package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.AcknowledgeRequest;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.PremiumServiceGrpc;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.api.v1.SubscribeRequest;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message path over real TLS with a real embedded PostgreSQL: a coverage check bureau -> gateway ->
 * insurer and back, deductions with idempotent retries, settlement data to an insurer that was down,
 * the pull inbox, and every refusal with its reason and nothing half-written.
 */
class CoreEndToEndTest {
  static final String DALIAN = "210200";
  static final String WUWEI = "620600";
  static final String PRODUCT = "dalian-2025-upgrade";

  @TempDir static Path dataDir;
  static Gateway gateway;
  static DatabaseConsole sql;
  static TestParty bureau;
  static TestParty hospital;
  static TestParty wuweiHospital;
  static TestParty lead;
  static TestParty coInsurer;
  static TestParty suspendedInsurer;
  /** A co-insurer of Wuwei's product only (issue 15, finding 1). */
  static TestParty wuweiCoInsurer;
  static TestEndpoint leadEndpoint;
  static TestEndpoint bureauEndpoint;
  /** Deductions the bureau executed, by idempotency key: must never exceed one per key. */
  static final Map<String, AtomicInteger> bureauExecutions = new ConcurrentHashMap<>();
  static final Map<String, DeductionReceipt> bureauReceipts = new ConcurrentHashMap<>();
  /** An OTLP/HTTP collector: what the gateway's tracing exported, one protobuf body per request. */
  static com.sun.net.httpserver.HttpServer collector;
  static final List<byte[]> exportedTraces = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    DeliveryPolicy fast = new DeliveryPolicy(20, Duration.ofMillis(50), Duration.ofMillis(400),
        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(50), 50);
    collector = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext("/v1/traces", exchange -> {
      exportedTraces.add(exchange.getRequestBody().readAllBytes());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(0).dataDir(dataDir).deliveryPolicy(fast)
        .tracingOtlpEndpoint("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces"), Clock.systemUTC());
    sql = DatabaseConsole.of(dataDir);
    lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, DALIAN, Optional.empty());
    leadEndpoint = new TestEndpoint(lead, gateway);
    gateway.admin().setEndpoint(lead.code, Optional.of(leadEndpoint.address()));
    coInsurer = TestParty.register(gateway, "INSURER-CO-210200", Role.ROLE_INSURER, DALIAN, Optional.empty());
    suspendedInsurer = TestParty.register(gateway, "INSURER-OLD-210200", Role.ROLE_INSURER, DALIAN, Optional.empty());
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, DALIAN, Optional.empty());
    bureauEndpoint = new TestEndpoint(bureau, gateway);
    gateway.admin().setEndpoint(bureau.code, Optional.of(bureauEndpoint.address()));
    hospital = TestParty.register(gateway, "HOSPITAL-210200-01", Role.ROLE_HOSPITAL, DALIAN, Optional.empty());
    wuweiHospital = TestParty.register(gateway, "HOSPITAL-620600-01", Role.ROLE_HOSPITAL, WUWEI, Optional.empty());
    gateway.admin().addProduct(new Product(PRODUCT, DALIAN, lead.code, LocalDate.of(2025, 11, 1),
        LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 6000), new Product.Member(coInsurer.code, 3000),
            new Product.Member(suspendedInsurer.code, 1000))));
    gateway.admin().setStatus(suspendedInsurer.code, Participant.Status.SUSPENDED);
    wuweiCoInsurer = TestParty.register(gateway, "INSURER-CO-620600", Role.ROLE_INSURER, WUWEI, Optional.empty());
    gateway.admin().addProduct(new Product("wuwei-2025-basic", WUWEI, wuweiCoInsurer.code, LocalDate.of(2025, 1, 1),
        LocalDate.of(2025, 12, 31), List.of(new Product.Member(wuweiCoInsurer.code, 10000))));

    leadEndpoint.onExchange(CoreEndToEndTest::insurerAnswersCoverage);
    leadEndpoint.start();
    bureauEndpoint.onExchange(CoreEndToEndTest::bureauPostsDeduction);
    bureauEndpoint.start();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {leadEndpoint, bureauEndpoint, bureau, hospital, wuweiHospital, lead,
        coInsurer, suspendedInsurer, wuweiCoInsurer}) {
      c.close();
    }
    sql.close();
    gateway.close();
    collector.stop(0);
  }

  /** The lead insurer: opens the query, answers "covered" sealed back to the asker. */
  static SealedEnvelope insurerAnswersCoverage(SealedEnvelope request) {
    try {
      TestParty asker = EnvelopeHeader.parseFrom(request.getHeader()).getSender().equals(bureau.code) ? bureau : hospital;
      var opened = lead.open(request, asker, CoverageQuery.parser());
      CoverageDecision decision = CoverageDecision.newBuilder().setCovered(true).setProductCode(PRODUCT)
          .setPolicyNumber("P-" + opened.payload().getPerson().getCertNumber().substring(14)).build();
      return lead.seal(lead.header(MessageType.MESSAGE_TYPE_COVERAGE_DECISION, asker, DALIAN)
          .setCorrelationId(opened.header().messageId()), decision, asker);
    } catch (Exception e) {
      throw Status.INTERNAL.withDescription(e.toString()).asRuntimeException();
    }
  }

  /** The bureau: posts each idempotency key at most once and answers retries from its record. */
  static SealedEnvelope bureauPostsDeduction(SealedEnvelope request) {
    try {
      var opened = bureau.open(request, lead, DeductionRequest.parser());
      String key = opened.header().idempotencyKey();
      DeductionReceipt receipt = bureauReceipts.computeIfAbsent(key, k -> {
        bureauExecutions.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
        return DeductionReceipt.newBuilder().setDeductionId("D-" + k).setState(DeductionReceipt.State.STATE_POSTED)
            .setAmountFen(opened.payload().getAmountFen()).setIdempotencyKey(k).build();
      });
      EnvelopeHeader.Builder answer = bureau.header(MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT, lead, DALIAN)
          .setCorrelationId(opened.header().messageId());
      if (key.startsWith("short-")) { // an answer that expires before a late retry
        answer.setExpireTime(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000 + 30));
      }
      return bureau.seal(answer, receipt, lead);
    } catch (Exception e) {
      throw Status.INTERNAL.withDescription(e.toString()).asRuntimeException();
    }
  }

  static CoverageQuery query() {
    return CoverageQuery.newBuilder().setPerson(io.hmb.api.v1.Person.newBuilder().setCertType("01")
        .setCertNumber("210202198001011234").setName("张三")).setMoment(CoverageQuery.Moment.MOMENT_ADMISSION).build();
  }

  static EligibilityServiceGrpc.EligibilityServiceBlockingStub eligibility(TestParty p) {
    return EligibilityServiceGrpc.newBlockingStub(p.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  static PremiumServiceGrpc.PremiumServiceBlockingStub premium(TestParty p) {
    return PremiumServiceGrpc.newBlockingStub(p.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  static SettlementServiceGrpc.SettlementServiceBlockingStub settlement(TestParty p) {
    return SettlementServiceGrpc.newBlockingStub(p.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void coverageCheckTravelsBureauToInsurerAndBack() throws Exception {
    SealedEnvelope request = bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN)
        .setProductCode(PRODUCT), query(), lead);
    SealedEnvelope answer = eligibility(bureau).checkCoverage(request);
    var opened = bureau.open(answer, lead, CoverageDecision.parser());
    assertThat(opened.payload().getCovered()).isTrue();
    assertThat(opened.payload().getPolicyNumber()).isEqualTo("P-1234");
    assertThat(opened.header().correlationId()).isEqualTo(EnvelopeHeader.parseFrom(request.getHeader()).getMessageId());
    assertThat(auditEvents(EnvelopeHeader.parseFrom(request.getHeader()).getMessageId()))
        .containsExactly("FORWARDED", "ANSWERED");
  }

  @Test
  void hospitalChecksCoverageInItsOwnCity() throws Exception {
    SealedEnvelope answer = eligibility(hospital).checkCoverage(
        hospital.seal(hospital.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN), query(), lead));
    assertThat(hospital.open(answer, lead, CoverageDecision.parser()).payload().getCovered()).isTrue();
  }

  @Test
  void hospitalOfAnotherCityIsNotAuthorisedAndNothingIsStored() {
    SealedEnvelope request = wuweiHospital.seal(
        wuweiHospital.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN), query(), lead);
    expectRefusal(() -> eligibility(wuweiHospital).checkCoverage(request), Status.Code.PERMISSION_DENIED,
        ErrorReason.NOT_AUTHORISED);
    assertThat(messageRows(request)).isZero();
  }

  @Test
  void deductionRetryWithSameKeyGetsTheStoredReceiptAndTheBureauPostsOnce() throws Exception {
    DeductionRequest payload = deduction(8900);
    SealedEnvelope first = lead.seal(deductionHeader("ded-retry-1"), payload, bureau);
    SealedEnvelope retry = lead.seal(deductionHeader("ded-retry-1"), payload, bureau); // sealed anew
    assertThat(retry.getCiphertext()).isNotEqualTo(first.getCiphertext());

    SealedEnvelope answer1 = premium(lead).requestDeduction(first);
    SealedEnvelope answer2 = premium(lead).requestDeduction(retry);
    SealedEnvelope answer3 = premium(lead).requestDeduction(first); // identical resend

    assertThat(answer2).isEqualTo(answer1);
    assertThat(answer3).isEqualTo(answer1);
    assertThat(lead.open(answer1, bureau, DeductionReceipt.parser()).payload().getState())
        .isEqualTo(DeductionReceipt.State.STATE_POSTED);
    assertThat(bureauExecutions.get("ded-retry-1").get()).isEqualTo(1);
  }

  @Test
  void aStoredAnswerAboutToExpireIsAskedForAgainNotReplayed() throws Exception {
    DeductionRequest payload = deduction(8900);
    SealedEnvelope first = premium(lead).requestDeduction(lead.seal(deductionHeader("short-1"), payload, bureau));
    SealedEnvelope retry = premium(lead).requestDeduction(lead.seal(deductionHeader("short-1"), payload, bureau));
    assertThat(retry).isNotEqualTo(first); // a fresh envelope, not the stored one about to expire
    assertThat(lead.open(retry, bureau, DeductionReceipt.parser()).payload())
        .isEqualTo(lead.open(first, bureau, DeductionReceipt.parser()).payload());
    assertThat(bureauExecutions.get("short-1").get()).isEqualTo(1);
  }

  @Test
  void sameKeyWithOtherContentIsRefused() {
    premium(lead).requestDeduction(lead.seal(deductionHeader("ded-reuse-1"), deduction(8900), bureau));
    SealedEnvelope other = lead.seal(deductionHeader("ded-reuse-1"), deduction(19800), bureau);
    expectRefusal(() -> premium(lead).requestDeduction(other), Status.Code.ALREADY_EXISTS,
        ErrorReason.IDEMPOTENCY_KEY_REUSED);
    assertThat(messageRows(other)).isZero();
    assertThat(bureauExecutions.get("ded-reuse-1").get()).isEqualTo(1);
  }

  @Test
  void aCoInsurerOfAnotherCityCannotDebitADalianResidentAndTheRefusalIsAudited() throws Exception {
    // Issue 15, finding 1: INSURER-CO-620600 asked BUREAU-210200 for a dalian-2025-upgrade premium and got POSTED.
    EnvelopeHeader.Builder h = wuweiCoInsurer.header(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, bureau, DALIAN)
        .setIdempotencyKey("ded-cross-city").setProductCode(PRODUCT);
    SealedEnvelope request = wuweiCoInsurer.seal(h, deduction(9800), bureau);
    StatusRuntimeException refused = expectRefusal(() -> premium(wuweiCoInsurer).requestDeduction(request),
        Status.Code.PERMISSION_DENIED, ErrorReason.NOT_AUTHORISED);
    assertThat(Errors.errorInfo(refused).orElseThrow().getMetadataMap()).containsEntry("rule", "deduction_request");
    assertThat(refused.getStatus().getDescription()).doesNotContain("9800").doesNotContain("210202198001011234");
    assertThat(messageRows(request)).isZero();
    assertThat(bureauExecutions).doesNotContainKey("ded-cross-city");
    // Finding 5: refused after verification, so on the record like every refusal of the matrix.
    assertThat(auditEvents(h.getMessageId())).containsExactly("REJECTED");
    // Nor may it ask the Dalian bureau who is insured there.
    SealedEnvelope status = wuweiCoInsurer.seal(wuweiCoInsurer.header(MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY,
        bureau, DALIAN), io.hmb.api.v1.InsuredStatusQuery.getDefaultInstance(), bureau);
    expectRefusal(() -> eligibility(wuweiCoInsurer).checkInsuredStatus(status), Status.Code.PERMISSION_DENIED,
        ErrorReason.NOT_AUTHORISED);
  }

  @Test
  void aProductOfAnotherCityIsRefusedAndAudited() throws Exception {
    EnvelopeHeader.Builder h = bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN)
        .setProductCode("wuwei-2025-basic");
    expectRefusal(() -> eligibility(bureau).checkCoverage(bureau.seal(h, query(), lead)), Status.Code.PERMISSION_DENIED,
        ErrorReason.NOT_AUTHORISED);
    assertThat(auditEvents(h.getMessageId())).containsExactly("REJECTED");
  }

  @Test
  void theSameKeyToAnotherRecipientIsRefusedNotReplayed() throws Exception {
    // Issue 15, finding 4: the second message got the first one's Acceptance (replayed) and was dropped.
    SettlementData data = settlementData("S-KEY-TWICE");
    Acceptance first = settlement(bureau).submitSettlement(bureau.seal(bureau.header(
        MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, DALIAN).setIdempotencyKey("setl-key-twice").setProductCode(PRODUCT),
        data, lead));
    SealedEnvelope toTheCoInsurer = bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, coInsurer, DALIAN)
        .setIdempotencyKey("setl-key-twice").setProductCode(PRODUCT), data, coInsurer);
    expectRefusal(() -> settlement(bureau).submitSettlement(toTheCoInsurer), Status.Code.ALREADY_EXISTS,
        ErrorReason.IDEMPOTENCY_KEY_REUSED);
    assertThat(messageRows(toTheCoInsurer)).isZero();
    assertThat(first.getReplayed()).isFalse();
    // The same message to the same recipient is still a retry.
    Acceptance again = settlement(bureau).submitSettlement(bureau.seal(bureau.header(
        MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, DALIAN).setIdempotencyKey("setl-key-twice").setProductCode(PRODUCT),
        data, lead));
    assertThat(again.getReplayed()).isTrue();
    assertThat(again.getMessageId()).isEqualTo(first.getMessageId());
  }

  @Test
  void aPassThroughMayLiveAtMost24HoursAndAStoredMessage7Days() {
    // Issue 15, finding 3: a coverage query with a 6-day lifetime was answered.
    long now = System.currentTimeMillis() / 1000;
    EnvelopeHeader.Builder sixDays = bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN)
        .setExpireTime(Timestamp.newBuilder().setSeconds(now + Duration.ofDays(6).toSeconds()));
    SealedEnvelope query = bureau.seal(sixDays, query(), lead);
    StatusRuntimeException refused = expectRefusal(() -> eligibility(bureau).checkCoverage(query),
        Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_HEADER_FIELD);
    assertThat(Errors.errorInfo(refused).orElseThrow().getMetadataMap()).containsEntry("field", "expire_time")
        .containsEntry("max_lifetime_seconds", "86400");
    assertThat(messageRows(query)).isZero();
    // Store-and-forward keeps its 7 days.
    EnvelopeHeader.Builder stored = bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, coInsurer, DALIAN)
        .setIdempotencyKey("setl-six-days").setProductCode(PRODUCT)
        .setExpireTime(Timestamp.newBuilder().setSeconds(now + Duration.ofDays(6).toSeconds()));
    assertThat(settlement(bureau).submitSettlement(bureau.seal(stored, settlementData("S-SIX-DAYS"), coInsurer))
        .getReplayed()).isFalse();
  }

  @Test
  void deductionWithoutIdempotencyKeyIsRefused() {
    SealedEnvelope request = lead.seal(lead.header(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, bureau, DALIAN)
        .setProductCode(PRODUCT), deduction(8900), bureau);
    expectRefusal(() -> premium(lead).requestDeduction(request), Status.Code.INVALID_ARGUMENT,
        ErrorReason.IDEMPOTENCY_KEY_MISSING);
  }

  @Test
  void passThroughWithoutDeadlineIsRefused() {
    SealedEnvelope request = bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN), query(), lead);
    expectRefusal(() -> EligibilityServiceGrpc.newBlockingStub(bureau.channel).checkCoverage(request),
        Status.Code.INVALID_ARGUMENT, ErrorReason.DEADLINE_MISSING);
  }

  @Test
  void senderMustBeTheTlsIdentity() {
    // The hospital's connection carries an envelope that claims to come from the bureau.
    SealedEnvelope forged = bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN), query(), lead);
    expectRefusal(() -> eligibility(hospital).checkCoverage(forged), Status.Code.PERMISSION_DENIED,
        ErrorReason.SENDER_MISMATCH);
  }

  @Test
  void claimingAnotherIdentityIsRefusedBeforeAnyCryptography() {
    // Signed with the hospital's own key, but the header claims to be the bureau.
    SealedEnvelope claim = hospital.seal(hospital.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN)
        .setSender(bureau.code), query(), lead);
    expectRefusal(() -> eligibility(hospital).checkCoverage(claim), Status.Code.PERMISSION_DENIED,
        ErrorReason.SENDER_MISMATCH);
  }

  @Test
  void tamperedSignatureIsRefused() {
    SealedEnvelope good = bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN), query(), lead);
    byte[] sig = good.getSignature().toByteArray();
    sig[sig.length / 2] ^= 0x01;
    SealedEnvelope bad = good.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
    assertThat(expectRefusal(() -> eligibility(bureau).checkCoverage(bad), Status.Code.UNAUTHENTICATED,
        ErrorReason.SIGNATURE_INVALID).getStatus().getDescription())
        .startsWith("the signature does not verify with the sender's key that header.sender_key_id names");
    assertThat(messageRows(bad)).isZero();
  }

  @Test
  void messageIdReusedForOtherContentIsAReplay() throws Exception {
    SealedEnvelope first = bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN), query(), lead);
    eligibility(bureau).checkCoverage(first);
    String id = EnvelopeHeader.parseFrom(first.getHeader()).getMessageId();
    SealedEnvelope replay = bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN)
        .setMessageId(id), query(), lead);
    // The message names the reused id and its sender, so the sender can find where it came from.
    assertThat(expectRefusal(() -> eligibility(bureau).checkCoverage(replay), Status.Code.ALREADY_EXISTS,
        ErrorReason.REPLAYED).getStatus().getDescription())
        .startsWith("message " + id + " from " + bureau.code + " is refused as a replay");
  }

  @Test
  void expiredEnvelopeIsRefused() {
    EnvelopeHeader.Builder header = bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN);
    long now = System.currentTimeMillis() / 1000;
    header.setCreateTime(Timestamp.newBuilder().setSeconds(now - 7200)).setExpireTime(Timestamp.newBuilder().setSeconds(now - 3600));
    SealedEnvelope stale = bureau.seal(header, query(), lead);
    assertThat(expectRefusal(() -> eligibility(bureau).checkCoverage(stale), Status.Code.INVALID_ARGUMENT,
        ErrorReason.EXPIRED).getStatus().getDescription()).contains("header.expire_time has passed", "seal the message again");
  }

  @Test
  void unknownAndSuspendedRecipientsAreRefused() {
    EnvelopeHeader.Builder toNobody = bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, DALIAN)
        .setRecipient("INSURER-NOBODY").setIdempotencyKey("s-nobody");
    expectRefusal(() -> settlement(bureau).submitSettlement(bureau.seal(toNobody, settlementData("S-X"), lead)),
        Status.Code.NOT_FOUND, ErrorReason.RECIPIENT_UNKNOWN);
    EnvelopeHeader.Builder toSuspended = bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, suspendedInsurer, DALIAN)
        .setIdempotencyKey("s-suspended");
    expectRefusal(() -> settlement(bureau).submitSettlement(bureau.seal(toSuspended, settlementData("S-Y"), suspendedInsurer)),
        Status.Code.FAILED_PRECONDITION, ErrorReason.RECIPIENT_SUSPENDED);
  }

  @Test
  void settlementDataReachesAnInsurerThatWasDownNoneLostNoneDoubled() throws Exception {
    leadEndpoint.stop();
    List<String> sent = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        EnvelopeHeader.Builder h = bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, DALIAN)
            .setIdempotencyKey("setl-down-" + i).setProductCode(PRODUCT);
        Acceptance a = settlement(bureau).submitSettlement(bureau.seal(h, settlementData("S-DOWN-" + i), lead));
        assertThat(a.getReplayed()).isFalse();
        sent.add(a.getMessageId());
      }
      // Delivery attempts fail while the insurer is down: the first one is on record before it comes back.
      Await.until("a failed delivery attempt of " + sent.get(0),
          () -> auditEvents(sent.get(0)).contains("DELIVERY_FAILED"));
    } finally {
      leadEndpoint.start();
    }
    Await.until("all 20 settlements at the insurer", () -> leadEndpoint.processed.containsAll(sent));
    List<String> received = leadEndpoint.processed.stream().filter(sent::contains).toList();
    assertThat(received).containsExactlyElementsOf(sent); // every one, once, in order
    assertThat(leadEndpoint.rawDeliveries.stream().filter(sent::contains).count()).isEqualTo(sent.size());
    // The insurer has it before the gateway has committed the acknowledgement: wait for that too.
    Await.until("the gateway's record of the first acknowledgement", () -> auditEvents(sent.get(0)).contains("ACKNOWLEDGED"));
    assertThat(auditEvents(sent.get(0))).contains("ACCEPTED", "DELIVERY_FAILED", "ACKNOWLEDGED");
  }

  @Test
  void storeAndForwardRetryIsAcceptedOnceAndDeliveredOnce() throws Exception {
    SettlementData data = settlementData("S-RETRY");
    Acceptance first = settlement(bureau).submitSettlement(bureau.seal(
        bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, DALIAN).setIdempotencyKey("setl-retry"), data, lead));
    Acceptance second = settlement(bureau).submitSettlement(bureau.seal(
        bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, DALIAN).setIdempotencyKey("setl-retry"), data, lead));
    assertThat(second.getReplayed()).isTrue();
    assertThat(second.getMessageId()).isEqualTo(first.getMessageId());
    assertThat(second.getAcceptTime()).isEqualTo(first.getAcceptTime());
    Await.until("the settlement at the insurer", () -> leadEndpoint.processed.contains(first.getMessageId()));
    Thread.sleep(300); // a negative check: no second delivery comes in this time; not synchronisation
    assertThat(leadEndpoint.rawDeliveries.stream().filter(first.getMessageId()::equals).count()).isEqualTo(1);
  }

  @Test
  void coInsurerPullsItsInboxAndAcknowledges() throws Exception {
    Acceptance a = settlement(bureau).submitSettlement(bureau.seal(
        bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, coInsurer, DALIAN).setIdempotencyKey("setl-inbox"),
        settlementData("S-INBOX"), coInsurer));
    List<Delivery> got = new CopyOnWriteArrayList<>();
    var call = DeliveryServiceGrpc.newStub(coInsurer.channel);
    io.grpc.Context.CancellableContext ctx = io.grpc.Context.current().withCancellation();
    ctx.run(() -> call.subscribe(SubscribeRequest.newBuilder().setMaxInFlight(10).build(), new StreamObserver<>() {
      @Override public void onNext(Delivery d) { got.add(d); }
      @Override public void onError(Throwable t) { }
      @Override public void onCompleted() { }
    }));
    try {
      Await.until("the settlement in the co-insurer's inbox stream",
          () -> got.stream().anyMatch(d -> d.getMessageId().equals(a.getMessageId())));
    } finally {
      ctx.cancel(null);
    }
    Delivery d = got.stream().filter(x -> x.getMessageId().equals(a.getMessageId())).findFirst().orElseThrow();
    assertThat(coInsurer.open(d.getEnvelope(), bureau, SettlementData.parser()).payload().getSettlementId()).isEqualTo("S-INBOX");
    var ack = DeliveryServiceGrpc.newBlockingStub(coInsurer.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .acknowledge(AcknowledgeRequest.newBuilder().addMessageIds(a.getMessageId()).addMessageIds("no-such-id").build());
    assertThat(ack.getAcknowledgedCount()).isEqualTo(1);
    assertThat(ack.getUnknownMessageIdsList()).containsExactly("no-such-id");
    var again = DeliveryServiceGrpc.newBlockingStub(coInsurer.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .acknowledge(AcknowledgeRequest.newBuilder().addMessageIds(a.getMessageId()).build());
    assertThat(again.getAcknowledgedCount()).isZero();
    assertThat(again.getUnknownMessageIdsList()).isEmpty();
    assertThat(auditEvents(a.getMessageId())).containsExactly("ACCEPTED", "DELIVERED", "ACKNOWLEDGED");
  }

  @Test
  void passThroughToADownRecipientIsUnavailableWithRetryInfo() throws Exception {
    bureauEndpoint.stop();
    try {
      SealedEnvelope request = lead.seal(deductionHeader("ded-down-1"), deduction(8900), bureau);
      StatusRuntimeException e = expectRefusal(() -> premium(lead).requestDeduction(request), Status.Code.UNAVAILABLE,
          ErrorReason.RECIPIENT_UNAVAILABLE);
      assertThat(Errors.retryDelay(e)).isPresent();
    } finally {
      bureauEndpoint.start();
    }
    // The retry with the same key goes through once the bureau is back, and it posts once.
    SealedEnvelope retry = lead.seal(deductionHeader("ded-down-1"), deduction(8900), bureau);
    assertThat(lead.open(premium(lead).requestDeduction(retry), bureau, DeductionReceipt.parser()).payload().getState())
        .isEqualTo(DeductionReceipt.State.STATE_POSTED);
    assertThat(bureauExecutions.get("ded-down-1").get()).isEqualTo(1);
  }

  @Test
  void metricsCountCallsByMethodOutcomeAndParticipant() throws Exception {
    SealedEnvelope first = bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN), query(), lead);
    eligibility(bureau).checkCoverage(first);
    SealedEnvelope good = bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN), query(), lead);
    SealedEnvelope bad = good.toBuilder().setSignature(ByteString.copyFrom(new byte[72])).build();
    try {
      eligibility(bureau).checkCoverage(bad);
    } catch (StatusRuntimeException expected) {
      // counted below
    }
    var http = java.net.http.HttpClient.newHttpClient();
    String body = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + gateway.metricsPort() + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    assertThat(body).contains("hmb_requests_total{method=\"hmb.v1.EligibilityService/CheckCoverage\",outcome=\"OK\",participant=\"BUREAU-210200\"}");
    assertThat(body).contains("outcome=\"SIGNATURE_INVALID\"");
    assertThat(body).contains("hmb_signature_failures_total{participant=\"BUREAU-210200\"}");
    assertThat(body).contains("hmb_request_seconds_bucket").contains("hmb_outbox_depth").contains("hmb_dead_letters");
    // gRPC's own view, and the pool the calls went through (HikariCP's meters).
    assertThat(body).contains("grpc_server_handled_total{code=\"OK\",method=\"hmb.v1.EligibilityService/CheckCoverage\"}")
        .contains("grpc_server_handled_total{code=\"UNAUTHENTICATED\"").contains("grpc_server_msg_received_total")
        .contains("grpc_server_started_total").contains("grpc_server_in_flight")
        .contains("hikaricp_connections_active{pool=\"hmb-gateway\"}").contains("hikaricp_connections_max");
    assertThat(body).doesNotContain("210202198001011234");

    // Tracing is on in this gateway: the call's span reached the collector with its message id, and no span
    // anywhere carries the person the query was about.
    String messageId = EnvelopeHeader.parseFrom(first.getHeader()).getMessageId();
    Await.until("the coverage check's span at the collector", () -> exportedTraces.stream()
        .anyMatch(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).contains(messageId)));
    assertThat(exportedTraces).allSatisfy(b -> assertThat(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("210202198001011234").contains("hmb-gateway"));
  }

  // --- helpers ---

  static EnvelopeHeader.Builder deductionHeader(String key) {
    return lead.header(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, bureau, DALIAN).setIdempotencyKey(key)
        .setProductCode(PRODUCT);
  }

  static DeductionRequest deduction(long fen) {
    return DeductionRequest.newBuilder().setProductCode(PRODUCT).setPolicyNumber("APP-1").setAmountFen(fen)
        .setPayer(io.hmb.api.v1.Person.newBuilder().setCertNumber("210202198001011234")).build();
  }

  static SettlementData settlementData(String id) {
    return SettlementData.newBuilder().setSettlementId(id).setVisitId("V-" + id).setMedicalFeeTotalFen(1_000_000).build();
  }

  static StatusRuntimeException expectRefusal(Runnable call, Status.Code code, ErrorReason reason) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
      assertThat(Errors.reason(e)).as(e.getStatus().toString()).contains(reason);
      assertThat(e.getStatus().getDescription()).isNotBlank();
      return e;
    }
    throw new AssertionError("expected " + reason + " but the call succeeded");
  }

  static int messageRows(SealedEnvelope envelope) {
    try (Connection c = sql.connect();
         PreparedStatement s = c.prepareStatement("SELECT count(*) FROM message WHERE message_id = ?")) {
      s.setString(1, EnvelopeHeader.parseFrom(envelope.getHeader()).getMessageId());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static List<String> auditEvents(String messageId) {
    return CoreEndToEndTestAudit.events(gateway, messageId);
  }
}
