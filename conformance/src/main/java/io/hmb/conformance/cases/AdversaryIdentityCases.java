package io.hmb.conformance.cases;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Timestamp;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.InsuredStatusQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.conformance.endpoint.EndpointContext;
import io.hmb.conformance.suite.CaseBody;
import io.hmb.conformance.suite.ConformanceCase;
import io.hmb.conformance.suite.ConformanceSession;
import io.hmb.security.EnvelopeException;
import io.hmb.security.Sealer;
import io.hmb.security.tls.MutualTls;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Adversary cases about identities on both ends of a connection (group "adversary", endpoint mode): the
 * suite, holding a participant's certificate of the gateway's CA, tries what a participant must not be able
 * to do to another's endpoint, and checks the endpoint is who it says it is. Self-contained: each case
 * opens its own connections and crafts its own envelopes. What each checks is said once, in
 * {@link ConformanceCase} and docs/conformance.md.
 */
public final class AdversaryIdentityCases {
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
  /** What a refusal before the envelope is read looks like: the handshake failed, or the call was turned away. */
  private static final Set<Status.Code> TURNED_AWAY = Set.of(Status.Code.UNAVAILABLE, Status.Code.UNAUTHENTICATED,
      Status.Code.PERMISSION_DENIED);

  private AdversaryIdentityCases() {}

  public static Map<ConformanceCase, CaseBody<EndpointContext>> all() {
    Map<ConformanceCase, CaseBody<EndpointContext>> m = new EnumMap<>(ConformanceCase.class);
    m.put(ConformanceCase.ADVERSARY_DIRECT_CALL_WITH_PARTICIPANT_CERTIFICATE,
        AdversaryIdentityCases::directCallWithParticipantCertificate);
    m.put(ConformanceCase.ADVERSARY_PARTICIPANT_CERTIFICATE_POSING_AS_GATEWAY,
        AdversaryIdentityCases::participantCertificatePosingAsGateway);
    m.put(ConformanceCase.ADVERSARY_PARTICIPANT_CERTIFICATE_POSING_AS_ENDPOINT,
        AdversaryIdentityCases::participantCertificatePosingAsEndpoint);
    return m;
  }

  /** {@link ConformanceCase#ADVERSARY_DIRECT_CALL_WITH_PARTICIPANT_CERTIFICATE}. */
  private static void directCallWithParticipantCertificate(EndpointContext ctx) throws Exception {
    reachableAsTheGateway(ctx);
    ConformanceSession s = ctx.session().gateway;
    SealedEnvelope question = question(ctx);
    try (Connection direct = Connection.asParticipant(ctx)) {
      expectTurnedAway(ctx, "RecipientService/Exchange", question, direct, stub -> stub.exchange(question),
          "answered a question sent directly with participant " + s.self + "'s certificate",
          "a question sent directly with participant " + s.self + "'s certificate");
    }
  }

  /** {@link ConformanceCase#ADVERSARY_PARTICIPANT_CERTIFICATE_POSING_AS_GATEWAY}. */
  private static void participantCertificatePosingAsGateway(EndpointContext ctx) throws Exception {
    reachableAsTheGateway(ctx);
    ConformanceSession s = ctx.session().gateway;
    Delivery push = delivery(ctx);
    try (Connection posing = Connection.asParticipant(ctx)) {
      expectTurnedAway(ctx, "RecipientService/Deliver", push.getEnvelope(), posing, stub -> stub.deliver(push),
          "acknowledged a delivery pushed with participant " + s.self + "'s certificate, as only the gateway may push",
          "a delivery pushed with participant " + s.self + "'s certificate");
    }
  }

  /** {@link ConformanceCase#ADVERSARY_PARTICIPANT_CERTIFICATE_POSING_AS_ENDPOINT}. */
  private static void participantCertificatePosingAsEndpoint(EndpointContext ctx) throws Exception {
    // The session's channel already requires the endpoint's own identity; this proves the handshake succeeds.
    reachableAsTheGateway(ctx);
    String other = ctx.session().gateway.self.equals(ctx.session().code) ? ctx.session().gateway.bureau
        : ctx.session().gateway.self;
    try (Connection expectingOther = Connection.asGatewayExpecting(ctx, other)) {
      StatusRuntimeException refused = call(ctx, "RecipientService/Exchange", SealedEnvelope.getDefaultInstance(),
          expectingOther, stub -> stub.exchange(SealedEnvelope.getDefaultInstance()));
      if (refused == null || Errors.reason(refused).isPresent()) {
        throw new AssertionError("the endpoint of " + ctx.session().code + " was accepted as participant " + other
            + "'s endpoint: its certificate names " + other + " (or no one), so it could stand in for " + other);
      }
    }
  }

  /**
   * A control: the endpoint admits the gateway's identity and takes the call (here it refuses an empty envelope
   * itself, with whatever status but one that turns a caller away).
   */
  private static void reachableAsTheGateway(EndpointContext ctx) {
    try {
      RecipientServiceGrpc.newBlockingStub(ctx.session().channel)
          .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).exchange(SealedEnvelope.getDefaultInstance());
      throw new AssertionError("the endpoint answered an empty envelope");
    } catch (StatusRuntimeException e) {
      ctx.record("RecipientService/Exchange", "control as the gateway: empty envelope", e.getStatus().getCode() + " "
          + Errors.reason(e).map(Enum::name).orElse(""), Duration.ZERO);
      if (TURNED_AWAY.contains(e.getStatus().getCode()) && Errors.reason(e).isEmpty()) {
        throw new AssertionError("the endpoint did not take the gateway's call, so the case cannot be shown: "
            + e.getStatus().getCode() + " " + e.getStatus().getDescription() + " (--endpoint-tls must hold a "
            + "certificate with the gateway's identity; the endpoint must present an endpoint certificate of "
            + ctx.session().code + ")");
      }
    }
  }

  /** The call must fail before the endpoint reads anything: no answer, and no hmb.v1 reason (which means it opened). */
  private static void expectTurnedAway(EndpointContext ctx, String rpc, SealedEnvelope sent, Connection connection,
      Function<RecipientServiceGrpc.RecipientServiceBlockingStub, MessageLite> call, String ifAnswered, String what) {
    StatusRuntimeException refused = call(ctx, rpc, sent, connection, call);
    if (refused == null) {
      throw new AssertionError("the endpoint " + ifAnswered);
    }
    if (Errors.reason(refused).isPresent() || !TURNED_AWAY.contains(refused.getStatus().getCode())) {
      throw new AssertionError("the endpoint read " + what + " before refusing it ("
          + refused.getStatus().getCode() + " " + Errors.reason(refused).map(Enum::name).orElse("") + "): it must "
          + "turn away any caller but the gateway before opening anything");
    }
  }

  /** Calls; null if answered, else the refusal. Recorded for the report. */
  private static StatusRuntimeException call(EndpointContext ctx, String rpc, SealedEnvelope sent, Connection connection,
      Function<RecipientServiceGrpc.RecipientServiceBlockingStub, MessageLite> call) {
    long start = System.nanoTime();
    String request = connection.description + ": " + header(sent);
    try {
      MessageLite answer = call.apply(RecipientServiceGrpc.newBlockingStub(connection.channel)
          .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
      ctx.record(rpc, request, "OK " + (answer instanceof DeliveryReceipt r ? "receipt for " + r.getMessageId()
          : "answered"), Duration.ofNanos(System.nanoTime() - start));
      return null;
    } catch (StatusRuntimeException e) {
      ctx.record(rpc, request, e.getStatus().getCode() + " " + Errors.reason(e).map(Enum::name).orElse("") + " "
          + e.getStatus().getDescription(), Duration.ofNanos(System.nanoTime() - start));
      return e;
    }
  }

  /** The question this endpoint answers (coverage for an insurer, insured status for a bureau), sealed by the suite. */
  private static SealedEnvelope question(EndpointContext ctx) {
    ConformanceSession s = ctx.session().gateway;
    boolean insurer = ctx.session().role == Role.ROLE_INSURER;
    EnvelopeHeader.Builder h = header(ctx, insurer ? MessageType.MESSAGE_TYPE_COVERAGE_QUERY
        : MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY);
    if (insurer) {
      h.setProductCode(s.product);
    }
    return seal(ctx, h, insurer
        ? CoverageQuery.newBuilder().setPerson(s.person).setMoment(CoverageQuery.Moment.MOMENT_ADMISSION).build()
        : InsuredStatusQuery.newBuilder().setPerson(s.person).build());
  }

  /** A reconciliation report with no items for the endpoint, as a push would carry it. */
  private static Delivery delivery(EndpointContext ctx) {
    String id = UUID.randomUUID().toString();
    Instant now = Instant.now();
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
    ReconciliationReport report = ReconciliationReport.newBuilder().setReportId("conformance-adversary-" + id)
        .setBusinessDate(com.google.type.Date.newBuilder().setYear(today.getYear()).setMonth(today.getMonthValue())
            .setDay(today.getDayOfMonth()))
        .setCounterparty(ctx.session().code).setScope(ReconciliationReport.Scope.SCOPE_PREMIUM_DEDUCTIONS)
        .setTotals(ReconciliationReport.Totals.getDefaultInstance()).setPart(1).setPartCount(1).build();
    SealedEnvelope envelope = seal(ctx, header(ctx, MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT).setMessageId(id)
        .setIdempotencyKey("conformance-adversary-" + id).setExpireTime(ts(now.plus(Duration.ofDays(1)))), report);
    return Delivery.newBuilder().setEnvelope(envelope).setMessageId(id).setAttempt(1).setAcceptTime(ts(now)).build();
  }

  private static EnvelopeHeader.Builder header(EndpointContext ctx, MessageType type) {
    ConformanceSession s = ctx.session().gateway;
    Instant now = Instant.now();
    return EnvelopeHeader.newBuilder().setMessageId(UUID.randomUUID().toString()).setSender(s.self)
        .setRecipient(ctx.session().code).setMessageType(type).setAdmdvs(s.city).setCreateTime(ts(now))
        .setExpireTime(ts(now.plus(Duration.ofMinutes(5))));
  }

  private static SealedEnvelope seal(EndpointContext ctx, EnvelopeHeader.Builder header, MessageLite payload) {
    ConformanceSession s = ctx.session().gateway;
    if (header.getMessageType() == MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT) {
      header.setContentDigest(com.google.protobuf.ByteString.copyFrom(io.hmb.security.ContentDigest.compute(
          s.key.suite(), header.getIdempotencyKey(), header.getMessageType(), payload.toByteArray())));
    }
    try {
      return Sealer.create().seal(header.build(), payload, s.key, s.client.directory().sealingKey(ctx.session().code));
    } catch (EnvelopeException e) {
      throw new AssertionError("the suite could not seal its envelope: " + e.getMessage());
    }
  }

  private static String header(SealedEnvelope envelope) {
    try {
      EnvelopeHeader h = EnvelopeHeader.parseFrom(envelope.getHeader());
      return h.getMessageType() + " " + h.getSender() + " -> " + h.getRecipient();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return "no header";
    }
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  /** A channel of the case's own, closed after it. */
  private static final class Connection implements AutoCloseable {
    final ManagedChannel channel;
    final String description;

    private Connection(String address, ChannelCredentials credentials, String description) {
      this.channel = Grpc.newChannelBuilder(address, credentials).build();
      this.description = description;
    }

    /** The suite's own participant certificate, to the endpoint under test (which must present its identity). */
    static Connection asParticipant(EndpointContext ctx) throws Exception {
      ConformanceSession s = ctx.session().gateway;
      return new Connection(ctx.session().address, MutualTls.toEndpoint(s.acting.tls(), s.acting.gatewayCa(),
          ctx.session().code), "as participant " + s.self);
    }

    /** The gateway's certificate (as the session holds it), expecting the endpoint to be {@code code}'s. */
    static Connection asGatewayExpecting(EndpointContext ctx, String code) throws Exception {
      return new Connection(ctx.session().address, MutualTls.toEndpoint(ctx.session().gatewayTls,
          ctx.session().gateway.acting.gatewayCa(), code), "as the gateway, expecting " + code + "'s endpoint");
    }

    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
