package io.hmb.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import com.google.protobuf.BytesValue;
import io.hmb.api.Errors;
import io.hmb.api.v1.AcknowledgeRequest;
import io.hmb.api.v1.AcknowledgeResponse;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.CoinsurerShare;
import io.hmb.api.v1.CostBuckets;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.FamilyRelation;
import io.hmb.api.v1.InsuredStatusQuery;
import io.hmb.api.v1.LiabilityPayout;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.client.Answer;
import io.hmb.client.BureauClient;
import io.hmb.client.GatewayException;
import io.hmb.client.HospitalClient;
import io.hmb.client.IdempotencyKeys;
import io.hmb.client.InsurerClient;
import io.hmb.conformance.suite.CaseBody;
import io.hmb.conformance.suite.ConformanceCase;
import io.hmb.conformance.suite.ConformanceContext;
import io.hmb.conformance.suite.ConformanceSession;
import io.hmb.conformance.suite.FixtureCatalog;
import io.hmb.security.EnvelopePolicy;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.PublicKeyHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The bodies of the cases that talk to a gateway (and, through it, to the counterpart under test): one
 * method per case, named after its id, and {@link #all()} the table from ids to methods. What each case
 * checks is said once, in {@link ConformanceCase} (and docs/conformance.md).
 */
public final class GatewayCases {
  private GatewayCases() {}

  public static Map<ConformanceCase, CaseBody<ConformanceContext>> all() {
    Map<ConformanceCase, CaseBody<ConformanceContext>> m = new EnumMap<>(ConformanceCase.class);
    m.put(ConformanceCase.CRYPTO_SM3_VECTORS, GatewayCases::cryptoSm3Vectors);
    m.put(ConformanceCase.CRYPTO_SM4_VECTORS, GatewayCases::cryptoSm4Vectors);
    m.put(ConformanceCase.ENVELOPE_TAMPERED_SIGNATURE, GatewayCases::envelopeTamperedSignature);
    m.put(ConformanceCase.ENVELOPE_EXPIRED, GatewayCases::envelopeExpired);
    m.put(ConformanceCase.ENVELOPE_FROM_THE_FUTURE, GatewayCases::envelopeFromTheFuture);
    m.put(ConformanceCase.ENVELOPE_REPLAYED, GatewayCases::envelopeReplayed);
    m.put(ConformanceCase.ENVELOPE_OVERSIZED, GatewayCases::envelopeOversized);
    m.put(ConformanceCase.ENVELOPE_WRONG_RPC, GatewayCases::envelopeWrongRpc);
    m.put(ConformanceCase.ENVELOPE_UNKNOWN_KEY, GatewayCases::envelopeUnknownKey);
    m.put(ConformanceCase.ENVELOPE_MALFORMED_HEADER, GatewayCases::envelopeMalformedHeader);
    m.put(ConformanceCase.ENVELOPE_MISSING_HEADER_FIELD, GatewayCases::envelopeMissingHeaderField);
    m.put(ConformanceCase.ENVELOPE_INVALID_HEADER_FIELD, GatewayCases::envelopeInvalidHeaderField);
    m.put(ConformanceCase.ENVELOPE_UNKNOWN_MESSAGE_TYPE, GatewayCases::envelopeUnknownMessageType);
    m.put(ConformanceCase.ENVELOPE_UNSUPPORTED_SUITE, GatewayCases::envelopeUnsupportedSuite);
    m.put(ConformanceCase.ENVELOPE_UNSUPPORTED_VERSION, GatewayCases::envelopeUnsupportedVersion);
    m.put(ConformanceCase.ENVELOPE_REVOKED_KEY, GatewayCases::envelopeRevokedKey);
    m.put(ConformanceCase.ENVELOPE_UNDECRYPTABLE, GatewayCases::envelopeUndecryptable);
    m.put(ConformanceCase.ENVELOPE_PAYLOAD_NOT_ITS_TYPE, GatewayCases::envelopePayloadNotItsType);
    m.put(ConformanceCase.IDENTITY_SENDER_UNREGISTERED, GatewayCases::identitySenderUnregistered);
    m.put(ConformanceCase.IDENTITY_SENDER_SUSPENDED, GatewayCases::identitySenderSuspended);
    m.put(ConformanceCase.IDENTITY_SENDER_MISMATCH, GatewayCases::identitySenderMismatch);
    m.put(ConformanceCase.IDENTITY_HEALTH_WITHOUT_CERTIFICATE, GatewayCases::identityHealthWithoutCertificate);
    m.put(ConformanceCase.COVERAGE_QUERY_ANSWERED, GatewayCases::coverageQueryAnswered);
    m.put(ConformanceCase.COVERAGE_OTHER_CITY_NOT_AUTHORISED, GatewayCases::coverageOtherCityNotAuthorised);
    m.put(ConformanceCase.INSURED_STATUS_ANSWERED, GatewayCases::insuredStatusAnswered);
    m.put(ConformanceCase.DEDUCTION_RECEIPT, GatewayCases::deductionReceipt);
    m.put(ConformanceCase.DEDUCTION_RETRY_SAME_BODY, GatewayCases::deductionRetrySameBody);
    m.put(ConformanceCase.DEDUCTION_RETRY_OTHER_BODY, GatewayCases::deductionRetryOtherBody);
    m.put(ConformanceCase.DEDUCTION_WITHOUT_KEY, GatewayCases::deductionWithoutKey);
    m.put(ConformanceCase.SETTLEMENT_ACCEPTED, GatewayCases::settlementAccepted);
    m.put(ConformanceCase.SETTLEMENT_RETRY_REPLAYED, GatewayCases::settlementRetryReplayed);
    m.put(ConformanceCase.BENEFIT_QUOTE_ANSWERED, GatewayCases::benefitQuoteAnswered);
    m.put(ConformanceCase.CLAIM_RESULT_ACCEPTED, GatewayCases::claimResultAccepted);
    m.put(ConformanceCase.RECONCILIATION_ACCEPTED, GatewayCases::reconciliationAccepted);
    m.put(ConformanceCase.INBOX_ACKNOWLEDGE_IDEMPOTENT, GatewayCases::inboxAcknowledgeIdempotent);
    m.put(ConformanceCase.ERROR_DEADLINE_MISSING, GatewayCases::errorDeadlineMissing);
    m.put(ConformanceCase.ERROR_RECIPIENT_UNKNOWN, GatewayCases::errorRecipientUnknown);
    m.put(ConformanceCase.ERROR_ROLE_NOT_AUTHORISED, GatewayCases::errorRoleNotAuthorised);
    m.put(ConformanceCase.ERROR_RECIPIENT_SUSPENDED, GatewayCases::errorRecipientSuspended);
    m.put(ConformanceCase.ERROR_RECIPIENT_WITHOUT_ENDPOINT, GatewayCases::errorRecipientWithoutEndpoint);
    m.put(ConformanceCase.ERROR_RECIPIENT_SILENT, GatewayCases::errorRecipientSilent);
    m.put(ConformanceCase.ERROR_PRODUCT_UNKNOWN, GatewayCases::errorProductUnknown);
    m.put(ConformanceCase.ERROR_RATE_LIMITED, GatewayCases::errorRateLimited);
    m.putAll(AuditLogCases.all());
    return m;
  }

  /** {@link ConformanceCase#CRYPTO_SM3_VECTORS}. */
  private static void cryptoSm3Vectors(ConformanceContext ctx) throws Exception {
    CryptoVectorCases.sm3(ctx.exchanges());
  }

  /** {@link ConformanceCase#CRYPTO_SM4_VECTORS}. */
  private static void cryptoSm4Vectors(ConformanceContext ctx) throws Exception {
    CryptoVectorCases.sm4(ctx.exchanges());
  }

  /** {@link ConformanceCase#ENVELOPE_TAMPERED_SIGNATURE}. */
  private static void envelopeTamperedSignature(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    p.expectRefused(p.altered(e -> e.toBuilder().setSignature(flipped(e.getSignature())).build()),
        ErrorReason.SIGNATURE_INVALID);
  }

  /** {@link ConformanceCase#ENVELOPE_EXPIRED}. */
  private static void envelopeExpired(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    Instant past = Instant.now().minus(Duration.ofHours(2));
    p.expectRefused(p.seal(p.header().setCreateTime(Probe.ts(past)).setExpireTime(Probe.ts(past.plusSeconds(600))),
        p.payload()), ErrorReason.EXPIRED);
  }

  /** {@link ConformanceCase#ENVELOPE_FROM_THE_FUTURE}. */
  private static void envelopeFromTheFuture(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    Instant future = Instant.now().plus(Duration.ofMinutes(20));
    p.expectRefused(p.seal(p.header().setCreateTime(Probe.ts(future)).setExpireTime(Probe.ts(future.plusSeconds(300))),
        p.payload()), ErrorReason.NOT_YET_VALID);
  }

  /** {@link ConformanceCase#ENVELOPE_REPLAYED}. */
  private static void envelopeReplayed(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    String id = UUID.randomUUID().toString();
    p.send(p.seal(p.header().setMessageId(id), p.payload()), true); // recorded, whatever the counterpart answers
    p.expectRefused(p.seal(p.header().setMessageId(id), p.payload()), ErrorReason.REPLAYED);
  }

  /** {@link ConformanceCase#ENVELOPE_OVERSIZED}. */
  private static void envelopeOversized(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    int size = EnvelopePolicy.DEFAULT_MAX_ENVELOPE_BYTES + 1024;
    CoverageQuery big = CoverageQuery.newBuilder().setHospitalCode("X".repeat(size)).build();
    EnvelopePolicy roomy = EnvelopePolicy.builder().maxEnvelopeBytes(size * 2).build();
    p.expectRefused(p.sealWith(ctx.session().key, p.header().setMessageType(p.type()), big, roomy),
        ErrorReason.PAYLOAD_TOO_LARGE);
  }

  /** {@link ConformanceCase#ENVELOPE_WRONG_RPC}. */
  private static void envelopeWrongRpc(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    SealedEnvelope probe = p.seal(p.header(), p.payload());
    long start = System.nanoTime();
    try {
      SettlementServiceGrpc.newBlockingStub(ctx.session().channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .submitSettlement(probe);
      Probe.expect(null, ErrorReason.MESSAGE_TYPE_MISMATCH);
    } catch (StatusRuntimeException e) {
      ctx.record("SettlementService/SubmitSettlement", Probe.describe(probe), e.getStatus().toString(),
          Duration.ofNanos(System.nanoTime() - start));
      Probe.expect(e, ErrorReason.MESSAGE_TYPE_MISMATCH);
    }
  }

  /** {@link ConformanceCase#ENVELOPE_UNKNOWN_KEY}. */
  private static void envelopeUnknownKey(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    PrivateKeyHandle stranger = PrivateKeyHandle.generate(ctx.session().key.suite());
    p.expectRefused(p.sealWith(stranger, p.header(), p.payload(), EnvelopePolicy.defaults()), ErrorReason.KEY_UNKNOWN);
  }

  /** {@link ConformanceCase#ENVELOPE_MALFORMED_HEADER}. */
  private static void envelopeMalformedHeader(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    // 0xFF is field 31 with wire type 7, which no protobuf message can contain.
    p.expectRefused(p.altered(e -> e.toBuilder().setHeader(ByteString.copyFrom(new byte[] {(byte) 0xFF, 0x01})).build()),
        ErrorReason.MALFORMED_ENVELOPE);
  }

  /** {@link ConformanceCase#ENVELOPE_MISSING_HEADER_FIELD}. */
  private static void envelopeMissingHeaderField(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    expectField(p.send(p.withHeaderRewritten(EnvelopeHeader.Builder::clearNonce), true),
        ErrorReason.MISSING_HEADER_FIELD, "nonce");
  }

  /** {@link ConformanceCase#ENVELOPE_INVALID_HEADER_FIELD}. */
  private static void envelopeInvalidHeaderField(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    expectField(p.send(p.withHeaderRewritten(h -> h.setAdmdvs("2102")), true), ErrorReason.INVALID_HEADER_FIELD, "admdvs");
  }

  /** {@link ConformanceCase#ENVELOPE_UNKNOWN_MESSAGE_TYPE}. */
  private static void envelopeUnknownMessageType(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    p.expectRefused(p.withHeaderRewritten(h -> h.setMessageTypeValue(9999)), ErrorReason.UNKNOWN_MESSAGE_TYPE);
  }

  /** {@link ConformanceCase#ENVELOPE_UNSUPPORTED_SUITE}. */
  private static void envelopeUnsupportedSuite(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    p.expectRefused(p.withHeaderRewritten(h -> h.setCipherSuiteValue(99)), ErrorReason.UNSUPPORTED_SUITE);
  }

  /** {@link ConformanceCase#ENVELOPE_UNSUPPORTED_VERSION}. */
  private static void envelopeUnsupportedVersion(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    p.expectRefused(p.withHeaderRewritten(h -> h.setSchemaVersion(2)), ErrorReason.UNSUPPORTED_VERSION);
  }

  /** {@link ConformanceCase#ENVELOPE_REVOKED_KEY}. */
  private static void envelopeRevokedKey(ConformanceContext ctx) throws Exception {
    Probe p = Probe.actingAs(ctx, FixtureCatalog.REVOKED_KEY);
    p.expectRefused(p.seal(p.header(), p.payload()), ErrorReason.KEY_REVOKED);
  }

  /** {@link ConformanceCase#ENVELOPE_UNDECRYPTABLE}. */
  private static void envelopeUndecryptable(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    PublicKeyHandle stranger = PrivateKeyHandle.generate(ctx.session().key.suite()).publicKey();
    p.expectRefused(p.sealFor(stranger, p.header(), p.payload()), ErrorReason.DECRYPTION_FAILED);
  }

  /** {@link ConformanceCase#ENVELOPE_PAYLOAD_NOT_ITS_TYPE}. */
  private static void envelopePayloadNotItsType(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    // Field 1 of both probe types is a Person; these bytes make it a Person with an invalid tag 0.
    p.expectRefused(p.seal(p.header(), BytesValue.of(ByteString.copyFrom(new byte[] {0x00}))), ErrorReason.PAYLOAD_INVALID);
  }

  /** {@link ConformanceCase#IDENTITY_SENDER_UNREGISTERED}. */
  private static void identitySenderUnregistered(ConformanceContext ctx) throws Exception {
    Probe p = Probe.actingAs(ctx, FixtureCatalog.UNREGISTERED);
    p.expectRefused(p.seal(p.header(), p.payload()), ErrorReason.SENDER_UNKNOWN);
  }

  /** {@link ConformanceCase#IDENTITY_SENDER_SUSPENDED}. */
  private static void identitySenderSuspended(ConformanceContext ctx) throws Exception {
    Probe p = Probe.actingAs(ctx, FixtureCatalog.SUSPENDED);
    p.expectRefused(p.seal(p.header(), p.payload()), ErrorReason.SENDER_SUSPENDED);
  }

  /** {@link ConformanceCase#IDENTITY_SENDER_MISMATCH}. */
  private static void identitySenderMismatch(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    String someoneElse = ctx.session().self.startsWith("BUREAU") ? "HOSPITAL-" + ctx.session().city + "-01"
        : ctx.session().bureau;
    p.expectRefused(p.seal(p.header().setSender(someoneElse), p.payload()), ErrorReason.SENDER_MISMATCH);
  }

  /** {@link ConformanceCase#IDENTITY_HEALTH_WITHOUT_CERTIFICATE}. */
  private static void identityHealthWithoutCertificate(ConformanceContext ctx) throws Exception {
    var status = HealthGrpc.newBlockingStub(ctx.session().anonymous).withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    ctx.record("grpc.health.v1.Health/Check", "no client certificate", status.name(), Duration.ZERO);
    if (status != ServingStatus.SERVING) {
      throw new AssertionError("expected SERVING, got " + status);
    }
  }

  /** {@link ConformanceCase#COVERAGE_QUERY_ANSWERED}. */
  private static void coverageQueryAnswered(ConformanceContext ctx) throws Exception {
    ConformanceSession s = ctx.session();
    CoverageQuery query = CoverageQuery.newBuilder().setPerson(ctx.session().person)
        .setMoment(CoverageQuery.Moment.MOMENT_ADMISSION).build();
    var answer = timed(ctx, "EligibilityService/CheckCoverage", () -> s.role == Role.ROLE_BUREAU
        ? new BureauClient(s.client).checkCoverage(s.product, query)
        : new HospitalClient(s.client).checkCoverage(s.product, query));
    if (answer.payload().getCovered() && answer.payload().getProductCode().isEmpty()) {
      throw new AssertionError("a covered decision must name its product_code");
    }
    if (!answer.sender().equals(s.client.directory().leadInsurer(s.product))) {
      throw new AssertionError("the decision came from " + answer.sender() + ", not the product's lead insurer");
    }
  }

  /** {@link ConformanceCase#COVERAGE_OTHER_CITY_NOT_AUTHORISED}. */
  private static void coverageOtherCityNotAuthorised(ConformanceContext ctx) throws Exception {
    ConformanceSession s = ctx.session();
    String other = s.city.equals("620600") ? "dalian-2025-upgrade" : "wuwei-2025-basic";
    CoverageQuery query = CoverageQuery.newBuilder().setPerson(ctx.session().person).build();
    expectGatewayRefusal(ctx, "EligibilityService/CheckCoverage", ErrorReason.NOT_AUTHORISED, () -> {
      if (s.role == Role.ROLE_BUREAU) {
        new BureauClient(s.client).checkCoverage(other, query);
      } else {
        new HospitalClient(s.client).checkCoverage(other, query);
      }
    });
  }

  /** {@link ConformanceCase#INSURED_STATUS_ANSWERED}. */
  private static void insuredStatusAnswered(ConformanceContext ctx) throws Exception {
    ConformanceSession s = ctx.session();
    var answer = timed(ctx, "EligibilityService/CheckInsuredStatus", () -> new InsurerClient(s.client)
        .checkInsuredStatus(s.bureau, InsuredStatusQuery.newBuilder().setPerson(ctx.session().person).build()));
    if (answer.payload().getInsured() && answer.payload().getInsuredAdmdvs().isEmpty()) {
      throw new AssertionError("an insured answer must name insured_admdvs");
    }
  }

  /** {@link ConformanceCase#DEDUCTION_RECEIPT}. */
  private static void deductionReceipt(ConformanceContext ctx) throws Exception {
    String key = IdempotencyKeys.random();
    DeductionReceipt receipt = deduct(ctx, key, 8900).payload();
    checkReceipt(receipt, key, 8900);
  }

  /** {@link ConformanceCase#DEDUCTION_RETRY_SAME_BODY}. */
  private static void deductionRetrySameBody(ConformanceContext ctx) throws Exception {
    String key = IdempotencyKeys.random();
    DeductionReceipt first = deduct(ctx, key, 8900).payload();
    DeductionReceipt again = deduct(ctx, key, 8900).payload();
    if (!first.getDeductionId().equals(again.getDeductionId()) || first.getState() != again.getState()
        || first.getAmountFen() != again.getAmountFen()) {
      throw new AssertionError("a retry with the same key and body must get the same receipt; got deduction "
          + first.getDeductionId() + " " + first.getState() + " then " + again.getDeductionId() + " " + again.getState());
    }
  }

  /** {@link ConformanceCase#DEDUCTION_RETRY_OTHER_BODY}. */
  private static void deductionRetryOtherBody(ConformanceContext ctx) throws Exception {
    String key = IdempotencyKeys.random();
    deduct(ctx, key, 8900);
    expectGatewayRefusal(ctx, "PremiumService/RequestDeduction", ErrorReason.IDEMPOTENCY_KEY_REUSED,
        () -> deduct(ctx, key, 19800));
  }

  /** {@link ConformanceCase#DEDUCTION_WITHOUT_KEY}. */
  private static void deductionWithoutKey(ConformanceContext ctx) throws Exception {
    ConformanceSession s = ctx.session();
    Probe p = new Probe(ctx);
    SealedEnvelope envelope = p.seal(p.header().setMessageType(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST)
        .setRecipient(s.bureau).setProductCode(s.product), deductionRequest(ctx, 8900));
    long start = System.nanoTime();
    try {
      io.hmb.api.v1.PremiumServiceGrpc.newBlockingStub(s.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .requestDeduction(envelope);
      Probe.expect(null, ErrorReason.IDEMPOTENCY_KEY_MISSING);
    } catch (StatusRuntimeException e) {
      ctx.record("PremiumService/RequestDeduction", Probe.describe(envelope), e.getStatus().toString(),
          Duration.ofNanos(System.nanoTime() - start));
      Probe.expect(e, ErrorReason.IDEMPOTENCY_KEY_MISSING);
    }
  }

  /** {@link ConformanceCase#SETTLEMENT_ACCEPTED}. */
  private static void settlementAccepted(ConformanceContext ctx) throws Exception {
    String key = IdempotencyKeys.random();
    Acceptance a = timed(ctx, "SettlementService/SubmitSettlement", () -> new BureauClient(ctx.session().client)
        .submitSettlement(ctx.session().product, key, settlement(ctx, key)));
    if (a.getMessageId().isEmpty() || !a.hasAcceptTime() || a.getReplayed()) {
      throw new AssertionError("a first submission must be accepted with its message id and time, not replayed: " + a);
    }
  }

  /** {@link ConformanceCase#SETTLEMENT_RETRY_REPLAYED}. */
  private static void settlementRetryReplayed(ConformanceContext ctx) throws Exception {
    String key = IdempotencyKeys.random();
    BureauClient bureau = new BureauClient(ctx.session().client);
    Acceptance first = timed(ctx, "SettlementService/SubmitSettlement",
        () -> bureau.submitSettlement(ctx.session().product, key, settlement(ctx, key)));
    Acceptance again = timed(ctx, "SettlementService/SubmitSettlement",
        () -> bureau.submitSettlement(ctx.session().product, key, settlement(ctx, key)));
    if (!again.getReplayed() || !again.getMessageId().equals(first.getMessageId())) {
      throw new AssertionError("a resubmission must return the first Acceptance marked replayed; got " + again);
    }
  }

  /** {@link ConformanceCase#BENEFIT_QUOTE_ANSWERED}. */
  private static void benefitQuoteAnswered(ConformanceContext ctx) throws Exception {
    ConformanceSession s = ctx.session();
    String key = IdempotencyKeys.random();
    SettlementData bill = settlement(ctx, key);
    BenefitQuoteRequest request = BenefitQuoteRequest.newBuilder().setSettlement(bill).setBinding(false).build();
    BenefitQuote quote = timed(ctx, "SettlementService/QuoteBenefit", () -> s.role == Role.ROLE_BUREAU
        ? new BureauClient(s.client).quoteBenefit(s.product, request)
        : new HospitalClient(s.client).quoteBenefit(s.product, request)).payload();
    long sum = quote.getLiabilitiesList().stream().mapToLong(LiabilityPayout::getPayoutFen).sum();
    long selfPay = bill.getBuckets().getTotalFen() - bill.getBuckets().getPublicPaidFen();
    if (sum != quote.getPayoutFen()) {
      throw new AssertionError("liability payouts sum to " + sum + " fen but payout_fen is " + quote.getPayoutFen());
    }
    if (quote.getPayoutFen() < 0 || quote.getPayoutFen() > selfPay) {
      throw new AssertionError("payout " + quote.getPayoutFen() + " fen is outside 0.." + selfPay + " (what the patient pays)");
    }
  }

  /** {@link ConformanceCase#CLAIM_RESULT_ACCEPTED}. */
  private static void claimResultAccepted(ConformanceContext ctx) throws Exception {
    ConformanceSession s = ctx.session();
    String key = IdempotencyKeys.random();
    ClaimResult result = ClaimResult.newBuilder().setClaimNumber("C-" + key).setVersion(1).setProductCode(s.product)
        .setOutcome(ClaimResult.Outcome.OUTCOME_COMPLETE).setPayoutFen(100_001)
        .addShares(CoinsurerShare.newBuilder().setInsurer(s.self).setShareBp(6000).setAmountFen(60_001))
        .addShares(CoinsurerShare.newBuilder().setInsurer("INSURER-CO-" + s.city).setShareBp(4000).setAmountFen(40_000))
        .build();
    Acceptance a = timed(ctx, "ClaimService/PublishClaimResult",
        () -> new InsurerClient(s.client).publishClaimResult(s.bureau, key, result));
    if (a.getMessageId().isEmpty()) {
      throw new AssertionError("no message id in the Acceptance");
    }
  }

  /** {@link ConformanceCase#RECONCILIATION_ACCEPTED}. */
  private static void reconciliationAccepted(ConformanceContext ctx) throws Exception {
    if (submitReconciliation(ctx).getMessageId().isEmpty()) {
      throw new AssertionError("no message id in the Acceptance");
    }
  }

  /** A daily reconciliation report to the session's counterpart (bureau or insurer), via the SDK. */
  static Acceptance submitReconciliation(ConformanceContext ctx) {
    ConformanceSession s = ctx.session();
    String key = IdempotencyKeys.random();
    ReconciliationReport report = ReconciliationReport.newBuilder().setReportId("R-" + key)
        .setBusinessDate(date(java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"))))
        .setScope(ReconciliationReport.Scope.SCOPE_PREMIUM_DEDUCTIONS)
        .setTotals(ReconciliationReport.Totals.newBuilder().setCount(1).setAmountFen(8900)).build();
    Acceptance a = timed(ctx, "ReconciliationService/SubmitReport", () -> s.role == Role.ROLE_BUREAU
        ? new BureauClient(s.client).submitReconciliation(s.client.directory().leadInsurer(s.product), key, report)
        : new InsurerClient(s.client).submitReconciliation(s.bureau, key, report));
    return a;
  }

  /** {@link ConformanceCase#INBOX_ACKNOWLEDGE_IDEMPOTENT}. */
  private static void inboxAcknowledgeIdempotent(ConformanceContext ctx) throws Exception {
    String unknown = UUID.randomUUID().toString();
    AcknowledgeResponse r = DeliveryServiceGrpc.newBlockingStub(ctx.session().channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .acknowledge(AcknowledgeRequest.newBuilder().addMessageIds(unknown).build());
    ctx.record("DeliveryService/Acknowledge", "message_ids=[" + unknown + "]", r.toString().replace('\n', ' '), Duration.ZERO);
    if (r.getAcknowledgedCount() != 0 || !r.getUnknownMessageIdsList().contains(unknown)) {
      throw new AssertionError("an unknown id must be reported unknown and acknowledge nothing; got " + r);
    }
  }

  /** {@link ConformanceCase#ERROR_DEADLINE_MISSING}. */
  private static void errorDeadlineMissing(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    Probe.expect(p.send(p.seal(p.header(), p.payload()), false), ErrorReason.DEADLINE_MISSING);
  }

  /** {@link ConformanceCase#ERROR_RECIPIENT_UNKNOWN}. */
  private static void errorRecipientUnknown(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    p.expectRefused(p.seal(p.header().setRecipient("NOBODY-" + ctx.session().city), p.payload()),
        ErrorReason.RECIPIENT_UNKNOWN);
  }

  /** {@link ConformanceCase#ERROR_ROLE_NOT_AUTHORISED}. */
  private static void errorRoleNotAuthorised(ConformanceContext ctx) throws Exception {
    // A probe type the role may not send: an insurer asking coverage, others asking insured status.
    Probe p = new Probe(ctx);
    boolean insurer = ctx.session().role == Role.ROLE_INSURER;
    MessageType forbidden = insurer ? MessageType.MESSAGE_TYPE_COVERAGE_QUERY : MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY;
    String recipient = insurer ? ctx.session().client.directory().leadInsurer(ctx.session().product) : ctx.session().bureau;
    SealedEnvelope envelope = p.seal(p.header().setMessageType(forbidden).setRecipient(recipient),
        insurer ? CoverageQuery.getDefaultInstance() : InsuredStatusQuery.getDefaultInstance());
    long start = System.nanoTime();
    var stub = io.hmb.api.v1.EligibilityServiceGrpc.newBlockingStub(ctx.session().channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    try {
      if (insurer) {
        stub.checkCoverage(envelope);
      } else {
        stub.checkInsuredStatus(envelope);
      }
      Probe.expect(null, ErrorReason.NOT_AUTHORISED);
    } catch (StatusRuntimeException e) {
      ctx.record(forbidden.name(), Probe.describe(envelope), e.getStatus().toString(), Duration.ofNanos(System.nanoTime() - start));
      Probe.expect(e, ErrorReason.NOT_AUTHORISED);
    }
  }

  /** {@link ConformanceCase#ERROR_RECIPIENT_SUSPENDED}. */
  private static void errorRecipientSuspended(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    p.expectRefused(p.seal(p.header().setRecipient(registeredFixture(ctx, FixtureCatalog.SUSPENDED)), p.payload()),
        ErrorReason.RECIPIENT_SUSPENDED);
  }

  /** {@link ConformanceCase#ERROR_RECIPIENT_WITHOUT_ENDPOINT}. */
  private static void errorRecipientWithoutEndpoint(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    expectRetryable(p.send(p.seal(p.header().setRecipient(registeredFixture(ctx, FixtureCatalog.NO_ENDPOINT)), p.payload()),
        true), ErrorReason.RECIPIENT_UNAVAILABLE);
  }

  /** {@link ConformanceCase#ERROR_RECIPIENT_SILENT}. */
  private static void errorRecipientSilent(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    // A short deadline keeps the case quick; the gateway must still answer before it runs out.
    expectRetryable(p.send(p.seal(p.header().setRecipient(registeredFixture(ctx, FixtureCatalog.SILENT)), p.payload()),
        Duration.ofSeconds(3)), ErrorReason.RECIPIENT_TIMEOUT);
  }

  /** {@link ConformanceCase#ERROR_PRODUCT_UNKNOWN}. */
  private static void errorProductUnknown(ConformanceContext ctx) throws Exception {
    Probe p = new Probe(ctx);
    p.expectRefused(p.seal(p.header().setProductCode("no-such-product"), p.payload()), ErrorReason.PRODUCT_UNKNOWN);
  }

  /** {@link ConformanceCase#ERROR_RATE_LIMITED}. */
  private static void errorRateLimited(ConformanceContext ctx) throws Exception {
    Probe p = Probe.actingAs(ctx, FixtureCatalog.THROTTLED);
    StatusRuntimeException last = null;
    for (int i = 0; i < 3; i++) { // one a second, burst one: the second of two quick sends must be refused
      last = p.send(p.seal(p.header(), p.payload()), true);
      if (last != null && Errors.reason(last).orElse(null) == ErrorReason.RATE_LIMITED) {
        break;
      }
    }
    expectRetryable(last, ErrorReason.RATE_LIMITED);
  }

  /** The fixture as a recipient: {@link io.hmb.conformance.suite.Fixtures#registered}. */
  private static String registeredFixture(ConformanceContext ctx, String code) {
    return ctx.session().fixtures.registered(code, ctx.session().client.directory());
  }

  private static void expectField(StatusRuntimeException refusal, ErrorReason expected, String field) {
    Probe.expect(refusal, expected);
    String named = Errors.errorInfo(refusal).map(i -> i.getMetadataMap().get("field")).orElse(null);
    if (!field.equals(named)) {
      throw new AssertionError(expected + " must name the field in ErrorInfo metadata \"field\": expected " + field
          + ", got " + named);
    }
  }

  private static void expectRetryable(StatusRuntimeException refusal, ErrorReason expected) {
    Probe.expect(refusal, expected);
    if (Errors.retryDelay(refusal).isEmpty()) {
      throw new AssertionError(expected + " is retryable, so it must carry a google.rpc.RetryInfo with the delay");
    }
  }

  /** The golden benefit cases, read from a folder (the suite ships conformance/cases/benefit). */
  public static CaseBody<ConformanceContext> benefitGoldenCases(java.nio.file.Path folder) {
    return BenefitGoldenCases.in(folder);
  }

  // --- helpers ---

  private static Answer<DeductionReceipt> deduct(ConformanceContext ctx, String key, long fen) {
    return timed(ctx, "PremiumService/RequestDeduction",
        () -> new InsurerClient(ctx.session().client).requestDeduction(ctx.session().bureau, key, deductionRequest(ctx, fen)));
  }

  private static DeductionRequest deductionRequest(ConformanceContext ctx, long fen) {
    return DeductionRequest.newBuilder().setPayer(ctx.session().person).setInsured(ctx.session().person)
        .setRelation(FamilyRelation.FAMILY_RELATION_SELF).setProductCode(ctx.session().product)
        .setPolicyNumber("CONFORMANCE").setAmountFen(fen).build();
  }

  private static void checkReceipt(DeductionReceipt receipt, String key, long fen) {
    if (!receipt.getIdempotencyKey().equals(key)) {
      throw new AssertionError("the receipt must echo idempotency key " + key + ", echoed '" + receipt.getIdempotencyKey() + "'");
    }
    switch (receipt.getState()) {
      case STATE_POSTED -> {
        if (receipt.getAmountFen() != fen || receipt.getDeductionId().isEmpty()) {
          throw new AssertionError("a POSTED receipt needs the deduction id and the amount " + fen + " fen: " + receipt);
        }
      }
      case STATE_REJECTED -> {
        if (receipt.getRejectionReason() == DeductionReceipt.RejectionReason.REJECTION_REASON_UNSPECIFIED) {
          throw new AssertionError("a REJECTED receipt must say why (rejection_reason)");
        }
      }
      default -> throw new AssertionError("a deduction request is answered POSTED or REJECTED, not " + receipt.getState());
    }
  }

  /**
   * A week's stay in the session's city, discharged and settled in the middle of the product's term (as the
   * directory gives it; today if it gives none), so an insurer that covers the person adjudicates a real claim:
   * 20,000 yuan of in-catalogue personal share, over every shipped product's deductible, so a payout is due.
   */
  private static SettlementData settlement(ConformanceContext ctx, String key) {
    ConformanceSession s = ctx.session();
    java.time.LocalDate discharged = midTerm(s);
    return SettlementData.newBuilder().setSettlementId("S-" + key).setVisitId("V-" + key).setPerson(s.person)
        .setTreatmentAdmdvs(s.city).setInsuredAdmdvs(s.city)
        // At the suite's own hospital, or the city's first demo hospital (grade 3 to the reference insurer).
        .setInstitutionCode(s.role == Role.ROLE_HOSPITAL ? s.self : "HOSPITAL-" + s.city + "-01")
        .setAdmissionDate(date(discharged.minusDays(7))).setDischargeDate(date(discharged))
        .setSettleTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(discharged.atTime(12, 0)
            .atZone(java.time.ZoneId.of("Asia/Shanghai")).toEpochSecond()))
        .setClearingType("21").setCareType(io.hmb.api.v1.CareType.CARE_TYPE_INPATIENT).setMedicalFeeTotalFen(8_000_000)
        .setBuckets(CostBuckets.newBuilder().setTotalFen(8_000_000).setPublicPaidFen(5_000_000).setInscopeCopayFen(1_500_000)
            .setClassBPriorSelfpayFen(500_000).setOutOfCatalogueFen(1_000_000))
        .build();
  }

  private static java.time.LocalDate midTerm(ConformanceSession s) {
    io.hmb.api.v1.Product product = s.client.directory().product(s.product);
    if (product.getTermStart().getYear() == 0 || product.getTermEnd().getYear() == 0) {
      return java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
    }
    java.time.LocalDate start = localDate(product.getTermStart());
    return start.plusDays(java.time.temporal.ChronoUnit.DAYS.between(start, localDate(product.getTermEnd())) / 2);
  }

  private static java.time.LocalDate localDate(com.google.type.Date d) {
    return java.time.LocalDate.of(d.getYear(), d.getMonth(), d.getDay());
  }

  private static com.google.type.Date date(java.time.LocalDate d) {
    return com.google.type.Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue()).setDay(d.getDayOfMonth())
        .build();
  }

  static <T> T timed(ConformanceContext ctx, String rpc, java.util.function.Supplier<T> call) {
    long start = System.nanoTime();
    try {
      T result = call.get();
      ctx.record(rpc, "via the SDK", result instanceof Answer<?> a ? "answer " + a : String.valueOf(result).replace('\n', ' '),
          Duration.ofNanos(System.nanoTime() - start));
      return result;
    } catch (GatewayException e) {
      ctx.record(rpc, "via the SDK", "refused " + e.reason().map(Enum::name).orElse(e.status().getCode().name()),
          Duration.ofNanos(System.nanoTime() - start));
      throw new RefusedCall(rpc, e);
    }
  }

  /** A call the target refused, as a case failure that still carries the refusal. */
  static final class RefusedCall extends AssertionError {
    private static final long serialVersionUID = 1L;
    final transient GatewayException refusal;

    RefusedCall(String rpc, GatewayException refusal) {
      super(rpc + " failed: " + refusal.getMessage());
      this.refusal = refusal;
    }
  }

  private static void expectGatewayRefusal(ConformanceContext ctx, String rpc, ErrorReason expected, Runnable call) {
    long start = System.nanoTime();
    GatewayException refusal;
    try {
      call.run();
      throw new AssertionError("expected a refusal with " + expected + ", but the call succeeded");
    } catch (RefusedCall e) {
      refusal = e.refusal;
    } catch (GatewayException e) {
      refusal = e;
      ctx.record(rpc, "via the SDK", "refused " + e.reason().map(Enum::name).orElse(e.status().getCode().name()),
          Duration.ofNanos(System.nanoTime() - start));
    }
    if (refusal.reason().orElse(null) != expected) {
      throw new AssertionError("expected " + expected + ", got "
          + refusal.reason().map(Enum::name).orElse(refusal.status().toString()));
    }
  }

  private static ByteString flipped(ByteString bytes) {
    byte[] copy = bytes.toByteArray();
    copy[copy.length / 2] ^= 0x01;
    return ByteString.copyFrom(copy);
  }
}
