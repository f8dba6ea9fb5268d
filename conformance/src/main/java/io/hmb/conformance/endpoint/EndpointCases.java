package io.hmb.conformance.endpoint;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.FamilyRelation;
import io.hmb.api.v1.InsuredStatusQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.conformance.suite.CaseBody;
import io.hmb.conformance.suite.ConformanceCase;
import io.hmb.conformance.suite.ConformanceSession;
import io.hmb.security.EnvelopeException;
import io.hmb.security.Opener;
import io.hmb.security.PublicKeyHandle;
import io.hmb.security.Sealer;
import io.hmb.security.replay.InMemoryReplayGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The bodies of the endpoint-mode cases: the suite plays the gateway and calls the participant's
 * RecipientService (Exchange, Deliver) directly with envelopes crafted as the suite's own participant,
 * showing what the endpoint does with what a gateway would never let through (a forged signature, a
 * misaddressed envelope) or would answer itself (a repeated idempotency key, a repeated delivery).
 *
 * <p>One method per case, named after its id; {@link #all()} is the table from ids to methods.
 */
public final class EndpointCases {
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

  private EndpointCases() {}

  public static Map<ConformanceCase, CaseBody<EndpointContext>> all() {
    Map<ConformanceCase, CaseBody<EndpointContext>> m = new EnumMap<>(ConformanceCase.class);
    m.put(ConformanceCase.ENDPOINT_REFUSES_TAMPERED_SIGNATURE, EndpointCases::endpointRefusesTamperedSignature);
    m.put(ConformanceCase.ENDPOINT_REFUSES_WRONG_RECIPIENT, EndpointCases::endpointRefusesWrongRecipient);
    m.put(ConformanceCase.ENDPOINT_DEDUCTION_RETRY_POSTS_ONCE, EndpointCases::endpointDeductionRetryPostsOnce);
    m.put(ConformanceCase.ENDPOINT_DELIVERY_DEDUPLICATED, EndpointCases::endpointDeliveryDeduplicated);
    m.put(ConformanceCase.ENDPOINT_REFUSES_EXPIRED, EndpointCases::endpointRefusesExpired);
    m.put(ConformanceCase.ENDPOINT_REFUSES_REPLAYED, EndpointCases::endpointRefusesReplayed);
    m.put(ConformanceCase.ENDPOINT_REFUSES_UNSERVED_TYPE, EndpointCases::endpointRefusesUnservedType);
    m.replaceAll((c, body) -> ctx -> {
      if (!c.runsAgainstEndpointOf(ctx.session().role)) {
        throw new CaseBody.Skip(c.id() + " does not apply to an endpoint of a " + ctx.session().role);
      }
      body.run(ctx);
    });
    return m;
  }

  /** {@link ConformanceCase#ENDPOINT_REFUSES_TAMPERED_SIGNATURE}. */
  private static void endpointRefusesTamperedSignature(EndpointContext ctx) throws Exception {
    Crafter c = new Crafter(ctx);
    c.expectAnswered(c.probe(c.probeHeader()));
    SealedEnvelope sealed = c.probe(c.probeHeader());
    expectRefused(c, sealed.toBuilder().setSignature(flipped(sealed.getSignature())).build(),
        ErrorReason.SIGNATURE_INVALID, "whose signature was altered");
  }

  /** {@link ConformanceCase#ENDPOINT_REFUSES_WRONG_RECIPIENT}. */
  private static void endpointRefusesWrongRecipient(EndpointContext ctx) throws Exception {
    Crafter c = new Crafter(ctx);
    c.expectAnswered(c.probe(c.probeHeader()));
    // Sealed for the endpoint's key, so it could decrypt it, but addressed to someone else (the suite's
    // own participant): the endpoint must check header.recipient itself.
    expectRefused(c, c.probe(c.probeHeader().setRecipient(c.s.self)), ErrorReason.WRONG_RECIPIENT,
        "addressed to " + c.s.self);
  }

  /** {@link ConformanceCase#ENDPOINT_DEDUCTION_RETRY_POSTS_ONCE}. */
  private static void endpointDeductionRetryPostsOnce(EndpointContext ctx) throws Exception {
    Crafter c = new Crafter(ctx);
    c.requireSuiteRole(Role.ROLE_INSURER, "deduction requests come from insurers");
    String key = "conformance-endpoint-" + UUID.randomUUID();
    DeductionRequest request = DeductionRequest.newBuilder().setPayer(c.s.person).setInsured(c.s.person)
        .setRelation(FamilyRelation.FAMILY_RELATION_SELF).setProductCode(c.s.product)
        .setPolicyNumber("P-CONFORMANCE-" + key.substring(key.length() - 12)).setAmountFen(ctx.session().deductionFen)
        .build();
    DeductionReceipt first = c.exchangeAndOpen(c.seal(c.header(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST)
        .setProductCode(c.s.product).setIdempotencyKey(key), request), DeductionReceipt.parser());
    if (!first.getIdempotencyKey().equals(key)) {
      throw new AssertionError("the receipt does not echo the idempotency key: expected " + key + ", got '"
          + first.getIdempotencyKey() + "'");
    }
    if (first.getState() != DeductionReceipt.State.STATE_POSTED) {
      throw new CaseBody.Skip("the bureau did not post the first request (" + first.getState() + " "
          + first.getRejectionReason() + ": " + first.getDetail() + "), so posting once cannot be shown; pass --person "
          + "of a resident with a personal-account balance, --product and --deduction-fen with its premium");
    }
    DeductionReceipt second = c.exchangeAndOpen(c.seal(c.header(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST)
        .setProductCode(c.s.product).setIdempotencyKey(key), request), DeductionReceipt.parser());
    if (!second.getDeductionId().equals(first.getDeductionId()) || second.getState() != first.getState()
        || second.getAmountFen() != first.getAmountFen() || second.getBalanceAfterFen() != first.getBalanceAfterFen()) {
      throw new AssertionError("the retry with idempotency key " + key + " was not answered from the record: first "
          + summary(first) + ", retry " + summary(second) + " (a retry must never post again)");
    }
  }

  /** {@link ConformanceCase#ENDPOINT_DELIVERY_DEDUPLICATED}. */
  private static void endpointDeliveryDeduplicated(EndpointContext ctx) throws Exception {
    Crafter c = new Crafter(ctx);
    if (ctx.session().role == Role.ROLE_INSURER) {
      c.requireSuiteRole(Role.ROLE_BUREAU, "an insurer's reconciliation reports come from the bureau");
    } else {
      c.requireSuiteRole(Role.ROLE_INSURER, "a bureau's reconciliation reports come from insurers");
    }
    String id = UUID.randomUUID().toString();
    LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    ReconciliationReport report = ReconciliationReport.newBuilder().setReportId("conformance-endpoint-" + id)
        .setBusinessDate(com.google.type.Date.newBuilder().setYear(today.getYear()).setMonth(today.getMonthValue())
            .setDay(today.getDayOfMonth()))
        .setCounterparty(ctx.session().code).setScope(ReconciliationReport.Scope.SCOPE_PREMIUM_DEDUCTIONS)
        .setTotals(ReconciliationReport.Totals.getDefaultInstance()).setPart(1).setPartCount(1).build();
    Instant now = Instant.now();
    SealedEnvelope envelope = c.seal(c.header(MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT).setMessageId(id)
        .setIdempotencyKey("conformance-endpoint-" + id).setExpireTime(ts(now.plus(Duration.ofDays(1)))), report);
    Delivery first = Delivery.newBuilder().setEnvelope(envelope).setMessageId(id).setAttempt(1).setAcceptTime(ts(now))
        .build();
    DeliveryReceipt one = c.deliver(first);
    if (!one.getMessageId().equals(id)) {
      throw new AssertionError("the DeliveryReceipt names message " + one.getMessageId() + ", not " + id);
    }
    DeliveryReceipt two = c.deliver(first.toBuilder().setAttempt(2).build());
    if (!two.getMessageId().equals(id)) {
      throw new AssertionError("the repeated delivery (attempt 2) was acknowledged as message " + two.getMessageId());
    }
    // Each receipt carries a fresh signed acknowledgement; both must name the message and verify.
    io.hmb.security.EnvelopeVerifier verifier = io.hmb.security.EnvelopeVerifier.builder(c.s.client.directory())
        .replayGuard(io.hmb.security.replay.ReplayGuard.deferredToCaller()).build();
    for (DeliveryReceipt r : java.util.List.of(one, two)) {
      try {
        io.hmb.security.Acknowledgements.check(verifier, r.getAcknowledgement(), id, c.s.self, ctx.session().code);
      } catch (io.hmb.security.Acknowledgements.Refused e) {
        throw new AssertionError("the DeliveryReceipt " + (r == one ? "" : "of the repeat ") + "is no signed "
            + "acknowledgement the gateway accepts: " + e.getMessage());
      }
    }
  }

  /** {@link ConformanceCase#ENDPOINT_REFUSES_EXPIRED}. */
  private static void endpointRefusesExpired(EndpointContext ctx) throws Exception {
    Crafter c = new Crafter(ctx);
    c.expectAnswered(c.probe(c.probeHeader()));
    Instant past = Instant.now().minus(Duration.ofHours(2));
    expectRefused(c, c.probe(c.probeHeader().setCreateTime(ts(past)).setExpireTime(ts(past.plus(Duration.ofMinutes(10))))),
        ErrorReason.EXPIRED, "that expired 1 h 50 min ago");
  }

  /** {@link ConformanceCase#ENDPOINT_REFUSES_REPLAYED}. */
  private static void endpointRefusesReplayed(EndpointContext ctx) throws Exception {
    Crafter c = new Crafter(ctx);
    SealedEnvelope once = c.probe(c.probeHeader());
    c.expectAnswered(once);
    expectRefused(c, once, ErrorReason.REPLAYED, "sent a second time, byte for byte");
  }

  /** {@link ConformanceCase#ENDPOINT_REFUSES_UNSERVED_TYPE}. */
  private static void endpointRefusesUnservedType(EndpointContext ctx) throws Exception {
    Crafter c = new Crafter(ctx);
    c.expectAnswered(c.probe(c.probeHeader()));
    // Each asks what only the other role answers: coverage is an insurer's question, deductions a bureau's.
    SealedEnvelope unserved = ctx.session().role == Role.ROLE_INSURER
        ? c.seal(c.header(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST).setIdempotencyKey("conformance-" + UUID.randomUUID()),
            DeductionRequest.newBuilder().setPayer(c.s.person).setInsured(c.s.person).setAmountFen(100).build())
        : c.probe(c.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY).setProductCode(c.s.product));
    expectRefused(c, unserved, ErrorReason.NOT_IMPLEMENTED, "of a type its role does not answer");
  }

  private static void expectRefused(Crafter c, SealedEnvelope envelope, ErrorReason expected, String what) {
    StatusRuntimeException refusal;
    try {
      SealedEnvelope answer = c.exchange(envelope);
      throw new AssertionError("the endpoint answered a request " + what + " (" + answer.getSerializedSize()
          + "-byte sealed answer) instead of refusing it with " + expected);
    } catch (StatusRuntimeException e) {
      refusal = e;
    }
    ErrorReason actual = Errors.reason(refusal).orElse(null);
    if (actual != null && actual != expected) {
      throw new AssertionError("the endpoint refused the request " + what + ", but with reason " + actual + ", not "
          + expected + ": " + refusal.getStatus().getDescription());
    }
  }

  private static String summary(DeductionReceipt r) {
    return "{deduction_id=" + r.getDeductionId() + ", state=" + r.getState() + ", amount_fen=" + r.getAmountFen()
        + ", balance_after_fen=" + r.getBalanceAfterFen() + "}";
  }

  static ByteString flipped(ByteString bytes) {
    byte[] b = bytes.toByteArray();
    b[b.length / 2] ^= 0x01;
    return ByteString.copyFrom(b);
  }

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static String describe(SealedEnvelope envelope) {
    try {
      EnvelopeHeader h = EnvelopeHeader.parseFrom(envelope.getHeader());
      return "message_id=" + h.getMessageId() + " sender=" + h.getSender() + " recipient=" + h.getRecipient()
          + " type=" + h.getMessageType() + " key=" + h.getIdempotencyKey() + " bytes=" + envelope.getSerializedSize();
    } catch (Exception e) {
      return "unparseable header, bytes=" + envelope.getSerializedSize();
    }
  }

  /** Crafts envelopes from the suite's participant to the endpoint and calls the endpoint, recording each call. */
  static final class Crafter {
    final EndpointContext ctx;
    final ConformanceSession s;
    final String endpoint;

    Crafter(EndpointContext ctx) {
      this.ctx = ctx;
      this.s = ctx.session().gateway;
      this.endpoint = ctx.session().code;
    }

    void requireSuiteRole(Role role, String why) {
      if (s.role != role) {
        throw new CaseBody.Skip(why + "; run with --as " + role.name().substring(5) + " and that participant's --keys");
      }
    }

    EnvelopeHeader.Builder header(MessageType type) {
      Instant now = Instant.now();
      return EnvelopeHeader.newBuilder().setMessageId(UUID.randomUUID().toString()).setSender(s.self)
          .setRecipient(endpoint).setMessageType(type).setAdmdvs(s.city).setCreateTime(ts(now))
          .setExpireTime(ts(now.plus(Duration.ofMinutes(5))));
    }

    /** The pass-through question this endpoint answers: coverage for an insurer, insured status for a bureau. */
    EnvelopeHeader.Builder probeHeader() {
      if (ctx.session().role == Role.ROLE_INSURER) {
        if (s.role == Role.ROLE_INSURER) {
          throw new CaseBody.Skip("an insurer endpoint is asked coverage by a bureau or hospital; run with --as BUREAU "
              + "or HOSPITAL and that participant's --keys");
        }
        return header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY).setProductCode(s.product);
      }
      requireSuiteRole(Role.ROLE_INSURER, "a bureau endpoint is asked insured status by insurers");
      return header(MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY);
    }

    SealedEnvelope probe(EnvelopeHeader.Builder header) {
      MessageLite payload = header.getMessageType() == MessageType.MESSAGE_TYPE_COVERAGE_QUERY
          ? CoverageQuery.newBuilder().setPerson(s.person).setMoment(CoverageQuery.Moment.MOMENT_ADMISSION).build()
          : InsuredStatusQuery.newBuilder().setPerson(s.person).build();
      return seal(header, payload);
    }

    /** Seals for the endpoint's current key, from the gateway's directory. */
    SealedEnvelope seal(EnvelopeHeader.Builder header, MessageLite payload) {
      try {
        return Sealer.create().seal(header.build(), payload, s.key, s.client.directory().sealingKey(endpoint));
      } catch (EnvelopeException e) {
        throw new AssertionError("the suite could not seal its envelope: " + e.getMessage());
      }
    }

    SealedEnvelope exchange(SealedEnvelope envelope) {
      long start = System.nanoTime();
      try {
        SealedEnvelope answer = RecipientServiceGrpc.newBlockingStub(ctx.session().channel)
            .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).exchange(envelope);
        ctx.record("RecipientService/Exchange", describe(envelope), "OK " + describe(answer), since(start));
        return answer;
      } catch (StatusRuntimeException e) {
        ctx.record("RecipientService/Exchange", describe(envelope), e.getStatus().getCode() + " "
            + Errors.reason(e).map(Enum::name).orElse("") + " " + e.getStatus().getDescription(), since(start));
        throw e;
      }
    }

    /** A control call: the intact envelope must be answered, so a later refusal is the endpoint's check at work. */
    void expectAnswered(SealedEnvelope envelope) {
      try {
        MessageType type = EnvelopeHeader.parseFrom(envelope.getHeader()).getMessageType();
        if (type == MessageType.MESSAGE_TYPE_COVERAGE_QUERY) {
          exchangeAndOpen(envelope, io.hmb.api.v1.CoverageDecision.parser());
        } else {
          exchangeAndOpen(envelope, io.hmb.api.v1.InsuredStatus.parser());
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      } catch (StatusRuntimeException e) {
        throw new AssertionError("the endpoint refused the intact control request, so the check cannot be shown: "
            + e.getStatus().getCode() + " " + Errors.reason(e).map(Enum::name).orElse("") + " "
            + e.getStatus().getDescription());
      }
    }

    /** Exchanges, then opens and verifies the answer: from the endpoint, for the suite, correlated to the request. */
    <T extends MessageLite> T exchangeAndOpen(SealedEnvelope request, Parser<T> parser) {
      SealedEnvelope answer = exchange(request);
      try {
        EnvelopeHeader asked = EnvelopeHeader.parseFrom(request.getHeader());
        EnvelopeHeader h = EnvelopeHeader.parseFrom(answer.getHeader());
        if (!h.getSender().equals(endpoint)) {
          throw new AssertionError("the answer names sender " + h.getSender() + ", not " + endpoint);
        }
        if (!h.getCorrelationId().equals(asked.getMessageId())) {
          throw new AssertionError("the answer's correlation_id is '" + h.getCorrelationId() + "', not the request's "
              + "message_id " + asked.getMessageId());
        }
        PublicKeyHandle senderKey = s.client.directory().resolve(h.getSender(), h.getSenderKeyId(),
            Instant.ofEpochSecond(h.getCreateTime().getSeconds(), h.getCreateTime().getNanos()));
        Opener opener = Opener.builder(s.self).replayGuard(new InMemoryReplayGuard(Clock.systemUTC())).build();
        return opener.open(answer, s.key, senderKey, parser).payload();
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError("the answer's header does not parse: " + e.getMessage());
      } catch (EnvelopeException e) {
        throw new AssertionError("the answer does not open and verify: " + e.getMessage());
      }
    }

    DeliveryReceipt deliver(Delivery delivery) {
      long start = System.nanoTime();
      String request = "attempt=" + delivery.getAttempt() + " " + describe(delivery.getEnvelope());
      try {
        DeliveryReceipt receipt = RecipientServiceGrpc.newBlockingStub(ctx.session().channel)
            .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).deliver(delivery);
        ctx.record("RecipientService/Deliver", request, "OK message_id=" + receipt.getMessageId(), since(start));
        return receipt;
      } catch (StatusRuntimeException e) {
        ctx.record("RecipientService/Deliver", request, e.getStatus().getCode() + " "
            + Errors.reason(e).map(Enum::name).orElse("") + " " + e.getStatus().getDescription(), since(start));
        throw new AssertionError("the delivery (attempt " + delivery.getAttempt() + ") was not acknowledged: "
            + e.getStatus().getCode() + " " + Errors.reason(e).map(Enum::name).orElse("") + " "
            + e.getStatus().getDescription());
      }
    }

    private static Duration since(long start) {
      return Duration.ofNanos(System.nanoTime() - start);
    }
  }
}
