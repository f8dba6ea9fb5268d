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
import io.hmb.security.EnvelopePolicy;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.PublicKeyHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The bodies of the cases that talk to a gateway (and, through it, to the counterpart under test). */
public final class GatewayCases {
  private GatewayCases() {}

  public static Map<ConformanceCase, CaseBody<ConformanceContext>> all() {
    Map<ConformanceCase, CaseBody<ConformanceContext>> m = new EnumMap<>(ConformanceCase.class);
    m.put(ConformanceCase.CRYPTO_SM3_VECTORS, ctx -> CryptoVectorCases.sm3(ctx.exchanges()));
    m.put(ConformanceCase.CRYPTO_SM4_VECTORS, ctx -> CryptoVectorCases.sm4(ctx.exchanges()));
    m.put(ConformanceCase.ENVELOPE_TAMPERED_SIGNATURE, ctx -> {
      Probe p = new Probe(ctx);
      p.expectRefused(p.altered(e -> e.toBuilder().setSignature(flipped(e.getSignature())).build()),
          ErrorReason.SIGNATURE_INVALID);
    });
    m.put(ConformanceCase.ENVELOPE_EXPIRED, ctx -> {
      Probe p = new Probe(ctx);
      Instant past = Instant.now().minus(Duration.ofHours(2));
      p.expectRefused(p.seal(p.header().setCreateTime(Probe.ts(past)).setExpireTime(Probe.ts(past.plusSeconds(600))),
          p.payload()), ErrorReason.EXPIRED);
    });
    m.put(ConformanceCase.ENVELOPE_FROM_THE_FUTURE, ctx -> {
      Probe p = new Probe(ctx);
      Instant future = Instant.now().plus(Duration.ofMinutes(20));
      p.expectRefused(p.seal(p.header().setCreateTime(Probe.ts(future)).setExpireTime(Probe.ts(future.plusSeconds(300))),
          p.payload()), ErrorReason.NOT_YET_VALID);
    });
    m.put(ConformanceCase.ENVELOPE_REPLAYED, ctx -> {
      Probe p = new Probe(ctx);
      String id = UUID.randomUUID().toString();
      p.send(p.seal(p.header().setMessageId(id), p.payload()), true); // recorded, whatever the counterpart answers
      p.expectRefused(p.seal(p.header().setMessageId(id), p.payload()), ErrorReason.REPLAYED);
    });
    m.put(ConformanceCase.ENVELOPE_OVERSIZED, ctx -> {
      Probe p = new Probe(ctx);
      int size = EnvelopePolicy.DEFAULT_MAX_ENVELOPE_BYTES + 1024;
      CoverageQuery big = CoverageQuery.newBuilder().setHospitalCode("X".repeat(size)).build();
      EnvelopePolicy roomy = EnvelopePolicy.builder().maxEnvelopeBytes(size * 2).build();
      p.expectRefused(p.sealWith(ctx.session().key, p.header().setMessageType(p.type()), big, roomy),
          ErrorReason.PAYLOAD_TOO_LARGE);
    });
    m.put(ConformanceCase.ENVELOPE_WRONG_RPC, ctx -> {
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
    });
    m.put(ConformanceCase.ENVELOPE_UNKNOWN_KEY, ctx -> {
      Probe p = new Probe(ctx);
      PrivateKeyHandle stranger = PrivateKeyHandle.generate(ctx.session().key.suite());
      p.expectRefused(p.sealWith(stranger, p.header(), p.payload(), EnvelopePolicy.defaults()), ErrorReason.KEY_UNKNOWN);
    });
    m.put(ConformanceCase.ENVELOPE_MALFORMED_HEADER, ctx -> {
      Probe p = new Probe(ctx);
      // 0xFF is field 31 with wire type 7, which no protobuf message can contain.
      p.expectRefused(p.altered(e -> e.toBuilder().setHeader(ByteString.copyFrom(new byte[] {(byte) 0xFF, 0x01})).build()),
          ErrorReason.MALFORMED_ENVELOPE);
    });
    m.put(ConformanceCase.ENVELOPE_MISSING_HEADER_FIELD, ctx -> {
      Probe p = new Probe(ctx);
      expectField(p.send(p.withHeaderRewritten(EnvelopeHeader.Builder::clearNonce), true),
          ErrorReason.MISSING_HEADER_FIELD, "nonce");
    });
    m.put(ConformanceCase.ENVELOPE_INVALID_HEADER_FIELD, ctx -> {
      Probe p = new Probe(ctx);
      expectField(p.send(p.withHeaderRewritten(h -> h.setAdmdvs("2102")), true), ErrorReason.INVALID_HEADER_FIELD, "admdvs");
    });
    m.put(ConformanceCase.ENVELOPE_UNKNOWN_MESSAGE_TYPE, ctx -> {
      Probe p = new Probe(ctx);
      p.expectRefused(p.withHeaderRewritten(h -> h.setMessageTypeValue(9999)), ErrorReason.UNKNOWN_MESSAGE_TYPE);
    });
    m.put(ConformanceCase.ENVELOPE_UNSUPPORTED_SUITE, ctx -> {
      Probe p = new Probe(ctx);
      p.expectRefused(p.withHeaderRewritten(h -> h.setCipherSuiteValue(99)), ErrorReason.UNSUPPORTED_SUITE);
    });
    m.put(ConformanceCase.ENVELOPE_UNSUPPORTED_VERSION, ctx -> {
      Probe p = new Probe(ctx);
      p.expectRefused(p.withHeaderRewritten(h -> h.setSchemaVersion(2)), ErrorReason.UNSUPPORTED_VERSION);
    });
    m.put(ConformanceCase.ENVELOPE_REVOKED_KEY, ctx -> {
      Probe p = Probe.actingAs(ctx, "FIXTURE-REVOKED-KEY");
      p.expectRefused(p.seal(p.header(), p.payload()), ErrorReason.KEY_REVOKED);
    });
    m.put(ConformanceCase.ENVELOPE_UNDECRYPTABLE, ctx -> {
      Probe p = new Probe(ctx);
      PublicKeyHandle stranger = PrivateKeyHandle.generate(ctx.session().key.suite()).publicKey();
      p.expectRefused(p.sealFor(stranger, p.header(), p.payload()), ErrorReason.DECRYPTION_FAILED);
    });
    m.put(ConformanceCase.ENVELOPE_PAYLOAD_NOT_ITS_TYPE, ctx -> {
      Probe p = new Probe(ctx);
      // Field 1 of both probe types is a Person; these bytes make it a Person with an invalid tag 0.
      p.expectRefused(p.seal(p.header(), BytesValue.of(ByteString.copyFrom(new byte[] {0x00}))), ErrorReason.PAYLOAD_INVALID);
    });
    m.put(ConformanceCase.IDENTITY_SENDER_UNREGISTERED, ctx -> {
      Probe p = Probe.actingAs(ctx, "FIXTURE-UNREGISTERED");
      p.expectRefused(p.seal(p.header(), p.payload()), ErrorReason.SENDER_UNKNOWN);
    });
    m.put(ConformanceCase.IDENTITY_SENDER_SUSPENDED, ctx -> {
      Probe p = Probe.actingAs(ctx, "FIXTURE-SUSPENDED");
      p.expectRefused(p.seal(p.header(), p.payload()), ErrorReason.SENDER_SUSPENDED);
    });
    m.put(ConformanceCase.IDENTITY_SENDER_MISMATCH, ctx -> {
      Probe p = new Probe(ctx);
      String someoneElse = ctx.session().self.startsWith("BUREAU") ? "HOSPITAL-" + ctx.session().city + "-01"
          : ctx.session().bureau;
      p.expectRefused(p.seal(p.header().setSender(someoneElse), p.payload()), ErrorReason.SENDER_MISMATCH);
    });
    m.put(ConformanceCase.IDENTITY_HEALTH_WITHOUT_CERTIFICATE, ctx -> {
      var status = HealthGrpc.newBlockingStub(ctx.session().anonymous).withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
      ctx.record("grpc.health.v1.Health/Check", "no client certificate", status.name(), Duration.ZERO);
      if (status != ServingStatus.SERVING) {
        throw new AssertionError("expected SERVING, got " + status);
      }
    });
    m.put(ConformanceCase.COVERAGE_QUERY_ANSWERED, ctx -> {
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
    });
    m.put(ConformanceCase.COVERAGE_OTHER_CITY_NOT_AUTHORISED, ctx -> {
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
    });
    m.put(ConformanceCase.INSURED_STATUS_ANSWERED, ctx -> {
      ConformanceSession s = ctx.session();
      var answer = timed(ctx, "EligibilityService/CheckInsuredStatus", () -> new InsurerClient(s.client)
          .checkInsuredStatus(s.bureau, InsuredStatusQuery.newBuilder().setPerson(ctx.session().person).build()));
      if (answer.payload().getInsured() && answer.payload().getInsuredAdmdvs().isEmpty()) {
        throw new AssertionError("an insured answer must name insured_admdvs");
      }
    });
    m.put(ConformanceCase.DEDUCTION_RECEIPT, ctx -> {
      String key = IdempotencyKeys.random();
      DeductionReceipt receipt = deduct(ctx, key, 8900).payload();
      checkReceipt(receipt, key, 8900);
    });
    m.put(ConformanceCase.DEDUCTION_RETRY_SAME_BODY, ctx -> {
      String key = IdempotencyKeys.random();
      DeductionReceipt first = deduct(ctx, key, 8900).payload();
      DeductionReceipt again = deduct(ctx, key, 8900).payload();
      if (!first.getDeductionId().equals(again.getDeductionId()) || first.getState() != again.getState()
          || first.getAmountFen() != again.getAmountFen()) {
        throw new AssertionError("a retry with the same key and body must get the same receipt; got deduction "
            + first.getDeductionId() + " " + first.getState() + " then " + again.getDeductionId() + " " + again.getState());
      }
    });
    m.put(ConformanceCase.DEDUCTION_RETRY_OTHER_BODY, ctx -> {
      String key = IdempotencyKeys.random();
      deduct(ctx, key, 8900);
      expectGatewayRefusal(ctx, "PremiumService/RequestDeduction", ErrorReason.IDEMPOTENCY_KEY_REUSED,
          () -> deduct(ctx, key, 19800));
    });
    m.put(ConformanceCase.DEDUCTION_WITHOUT_KEY, ctx -> {
      ConformanceSession s = ctx.session();
      Probe p = new Probe(ctx);
      SealedEnvelope envelope = p.seal(p.header().setMessageType(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST)
          .setRecipient(s.bureau), deductionRequest(ctx, 8900));
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
    });
    m.put(ConformanceCase.SETTLEMENT_ACCEPTED, ctx -> {
      String key = IdempotencyKeys.random();
      Acceptance a = timed(ctx, "SettlementService/SubmitSettlement", () -> new BureauClient(ctx.session().client)
          .submitSettlement(ctx.session().product, key, settlement(ctx, key)));
      if (a.getMessageId().isEmpty() || !a.hasAcceptTime() || a.getReplayed()) {
        throw new AssertionError("a first submission must be accepted with its message id and time, not replayed: " + a);
      }
    });
    m.put(ConformanceCase.SETTLEMENT_RETRY_REPLAYED, ctx -> {
      String key = IdempotencyKeys.random();
      BureauClient bureau = new BureauClient(ctx.session().client);
      Acceptance first = timed(ctx, "SettlementService/SubmitSettlement",
          () -> bureau.submitSettlement(ctx.session().product, key, settlement(ctx, key)));
      Acceptance again = timed(ctx, "SettlementService/SubmitSettlement",
          () -> bureau.submitSettlement(ctx.session().product, key, settlement(ctx, key)));
      if (!again.getReplayed() || !again.getMessageId().equals(first.getMessageId())) {
        throw new AssertionError("a resubmission must return the first Acceptance marked replayed; got " + again);
      }
    });
    m.put(ConformanceCase.BENEFIT_QUOTE_ANSWERED, ctx -> {
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
    });
    m.put(ConformanceCase.CLAIM_RESULT_ACCEPTED, ctx -> {
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
    });
    m.put(ConformanceCase.RECONCILIATION_ACCEPTED, ctx -> {
      ConformanceSession s = ctx.session();
      String key = IdempotencyKeys.random();
      ReconciliationReport report = ReconciliationReport.newBuilder().setReportId("R-" + key)
          .setScope(ReconciliationReport.Scope.SCOPE_PREMIUM_DEDUCTIONS)
          .setTotals(ReconciliationReport.Totals.newBuilder().setCount(1).setAmountFen(8900)).build();
      Acceptance a = timed(ctx, "ReconciliationService/SubmitReport", () -> s.role == Role.ROLE_BUREAU
          ? new BureauClient(s.client).submitReconciliation(s.client.directory().leadInsurer(s.product), key, report)
          : new InsurerClient(s.client).submitReconciliation(s.bureau, key, report));
      if (a.getMessageId().isEmpty()) {
        throw new AssertionError("no message id in the Acceptance");
      }
    });
    m.put(ConformanceCase.INBOX_ACKNOWLEDGE_IDEMPOTENT, ctx -> {
      String unknown = UUID.randomUUID().toString();
      AcknowledgeResponse r = DeliveryServiceGrpc.newBlockingStub(ctx.session().channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .acknowledge(AcknowledgeRequest.newBuilder().addMessageIds(unknown).build());
      ctx.record("DeliveryService/Acknowledge", "message_ids=[" + unknown + "]", r.toString().replace('\n', ' '), Duration.ZERO);
      if (r.getAcknowledgedCount() != 0 || !r.getUnknownMessageIdsList().contains(unknown)) {
        throw new AssertionError("an unknown id must be reported unknown and acknowledge nothing; got " + r);
      }
    });
    m.put(ConformanceCase.ERROR_DEADLINE_MISSING, ctx -> {
      Probe p = new Probe(ctx);
      Probe.expect(p.send(p.seal(p.header(), p.payload()), false), ErrorReason.DEADLINE_MISSING);
    });
    m.put(ConformanceCase.ERROR_RECIPIENT_UNKNOWN, ctx -> {
      Probe p = new Probe(ctx);
      p.expectRefused(p.seal(p.header().setRecipient("NOBODY-" + ctx.session().city), p.payload()),
          ErrorReason.RECIPIENT_UNKNOWN);
    });
    m.put(ConformanceCase.ERROR_ROLE_NOT_AUTHORISED, ctx -> {
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
    });
    m.put(ConformanceCase.ERROR_RECIPIENT_SUSPENDED, ctx -> {
      Probe p = new Probe(ctx);
      p.expectRefused(p.seal(p.header().setRecipient(registeredFixture(ctx, "FIXTURE-SUSPENDED")), p.payload()),
          ErrorReason.RECIPIENT_SUSPENDED);
    });
    m.put(ConformanceCase.ERROR_RECIPIENT_WITHOUT_ENDPOINT, ctx -> {
      Probe p = new Probe(ctx);
      expectRetryable(p.send(p.seal(p.header().setRecipient(registeredFixture(ctx, "FIXTURE-NO-ENDPOINT")), p.payload()),
          true), ErrorReason.RECIPIENT_UNAVAILABLE);
    });
    m.put(ConformanceCase.ERROR_RECIPIENT_SILENT, ctx -> {
      Probe p = new Probe(ctx);
      // A short deadline keeps the case quick; the gateway must still answer before it runs out.
      expectRetryable(p.send(p.seal(p.header().setRecipient(registeredFixture(ctx, "FIXTURE-SILENT")), p.payload()),
          Duration.ofSeconds(3)), ErrorReason.RECIPIENT_TIMEOUT);
    });
    m.put(ConformanceCase.ERROR_PRODUCT_UNKNOWN, ctx -> {
      Probe p = new Probe(ctx);
      p.expectRefused(p.seal(p.header().setProductCode("no-such-product"), p.payload()), ErrorReason.PRODUCT_UNKNOWN);
    });
    m.put(ConformanceCase.ERROR_RATE_LIMITED, ctx -> {
      Probe p = Probe.actingAs(ctx, "FIXTURE-THROTTLED");
      StatusRuntimeException last = null;
      for (int i = 0; i < 3; i++) { // one a second, burst one: the second of two quick sends must be refused
        last = p.send(p.seal(p.header(), p.payload()), true);
        if (last != null && Errors.reason(last).orElse(null) == ErrorReason.RATE_LIMITED) {
          break;
        }
      }
      expectRetryable(last, ErrorReason.RATE_LIMITED);
    });
    return m;
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

  private static SettlementData settlement(ConformanceContext ctx, String key) {
    return SettlementData.newBuilder().setSettlementId("S-" + key).setVisitId("V-" + key).setPerson(ctx.session().person)
        .setClearingType("21").setCareType(io.hmb.api.v1.CareType.CARE_TYPE_INPATIENT).setMedicalFeeTotalFen(5_000_000)
        .setBuckets(CostBuckets.newBuilder().setTotalFen(5_000_000).setPublicPaidFen(3_000_000).setInscopeCopayFen(800_000)
            .setClassBPriorSelfpayFen(200_000).setOutOfCatalogueFen(1_000_000))
        .build();
  }

  private static <T> T timed(ConformanceContext ctx, String rpc, java.util.function.Supplier<T> call) {
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
