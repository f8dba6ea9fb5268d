package io.hmb.client;

import com.google.protobuf.MessageLite;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.MessageCatalog;
import io.hmb.api.MessageCatalog.Kind;
import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.DeductionReversal;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.InsuredStatus;
import io.hmb.api.v1.InsuredStatusQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.PolicyRegistration;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementCancellation;
import io.hmb.api.v1.SettlementData;
import io.hmb.security.KeyRing;
import io.hmb.security.OpenedMessage;
import io.hmb.security.PublicKeyResolver;
import io.hmb.security.tls.PeerIdentity;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLSession;

/**
 * The hmb.v1 RecipientService for a participant that exposes a port to the gateway: add it to your
 * {@code io.grpc.Server}, served with your endpoint certificate and {@code MutualTls.endpointServer} (only
 * the gateway's client certificate gets through the handshake), on the address the gateway dials. Register
 * one typed handler per message type you take; the endpoint does the envelope work around it.
 *
 * <p><b>Guarantees.</b> Every call must come over TLS from a client certificate with the gateway's identity
 * ({@code urn:hmb:gateway}); any other caller, a participant's certificate from the same CA included, is
 * refused (PERMISSION_DENIED, or UNAUTHENTICATED without TLS) before anything is opened, even when the server's
 * credentials admit any certificate of the CA. A handler runs only for an envelope addressed to this participant whose
 * signature verified with a live key of its sender (from the directory or your resolver), that is
 * fresh, not replayed (pass-through) and whose payload parsed as its declared type. A pass-through answer
 * is sealed for the key the asker signed with, with correlation_id = the request's message_id, the
 * request's admdvs and product_code, and the request's idempotency key echoed. A pushed delivery is
 * acknowledged (DeliveryReceipt with the signed acknowledgement the gateway requires, sealed for the
 * delivered message's sender) only after its handler returned; a repeat of a message_id processed
 * recently (bounded memory, {@link Builder#dedupCapacity}) is acknowledged without calling the handler
 * again. Failures are statuses with hmb.v1 reasons: envelope problems by their reason, no handler for the
 * type NOT_IMPLEMENTED, {@link InvalidPayloadException} PAYLOAD_INVALID.
 *
 * <p><b>Does not guarantee.</b> Durable deduplication: after a restart, or beyond the remembered ids, a
 * delivery can reach the handler again, so deduplicate in your database by message_id in the same
 * transaction that records the message; and answer a pass-through request with an idempotency key you
 * have seen (a deduction retry) from your record, never by acting twice. It does not authorise: the
 * gateway's matrix has done that. It holds no transport: TLS and executors are your server's.
 */
public final class RecipientEndpoint implements io.grpc.BindableService, RecipientServiceGrpc.AsyncService {
  /** Default lifetime of answers (they are read within the caller's deadline). */
  public static final Duration DEFAULT_ANSWER_LIFETIME = java.time.Duration.ofMinutes(10);
  /** Default number of delivered message ids remembered for deduplication. */
  public static final int DEFAULT_DEDUP_CAPACITY = 100_000;

  private final Receiver receiver;
  private final Map<MessageType, PassThroughHandler<MessageLite, MessageLite>> passThrough;
  private final DeliveryProcessor deliveries;
  private final boolean allowCallsWithoutTls;

  private RecipientEndpoint(Builder b) {
    this.receiver = new Receiver(b.participant, b.keys, b.senders, b.clock, b.answerLifetime);
    this.passThrough = new EnumMap<>(b.passThrough);
    this.deliveries = new DeliveryProcessor(receiver, b.deliveries.copy(), b.dedupCapacity);
    this.allowCallsWithoutTls = b.allowCallsWithoutTls;
  }

  /** The service, behind the check that the caller is the gateway (see the class comment). */
  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(RecipientServiceGrpc.bindService(this), new GatewayOnly(allowCallsWithoutTls));
  }

  /** Refuses every call whose TLS peer is not the gateway. */
  private static final class GatewayOnly implements ServerInterceptor {
    private final boolean allowWithoutTls;

    GatewayOnly(boolean allowWithoutTls) {
      this.allowWithoutTls = allowWithoutTls;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      if (session == null ? allowWithoutTls : PeerIdentity.isGateway(session)) {
        return next.startCall(call, headers);
      }
      call.close(session == null
          ? Status.UNAUTHENTICATED.withDescription("this endpoint takes calls only from the gateway, over mTLS")
          : Status.PERMISSION_DENIED.withDescription("only the gateway calls this endpoint; the caller's certificate "
              + "is not the gateway's"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
  }

  /** An endpoint for the client's participant, its keys, clock and directory (for senders' keys). */
  public static Builder builder(GatewayClient client) {
    return new Builder(client.participant(), client.keys(), client.directory()).clock(client.clock());
  }

  /** An endpoint with your own resolver of senders' public keys (e.g. a directory you mirror). */
  public static Builder builder(String participant, KeyRing keys, PublicKeyResolver senderKeys) {
    return new Builder(participant, keys, senderKeys);
  }

  @Override
  public void exchange(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
    try {
      reply.onNext(answer(request));
      reply.onCompleted();
    } catch (StatusRuntimeException e) {
      reply.onError(e);
    }
  }

  @Override
  public void deliver(Delivery delivery, StreamObserver<DeliveryReceipt> reply) {
    try {
      deliveries.process(delivery);
      reply.onNext(DeliveryReceipt.newBuilder().setMessageId(delivery.getMessageId())
          .setAcknowledgement(receiver.sealAcknowledgement(delivery)).build());
      reply.onCompleted();
    } catch (StatusRuntimeException e) {
      reply.onError(e);
    }
  }

  private SealedEnvelope answer(SealedEnvelope request) {
    MessageType type = Receiver.peekType(request);
    if (!MessageCatalog.is(type, Kind.PASS_THROUGH)) {
      throw Errors.of(ErrorReason.MESSAGE_TYPE_MISMATCH, type + " is not a pass-through request type");
    }
    PassThroughHandler<MessageLite, MessageLite> handler = passThrough.get(type);
    if (handler == null) {
      throw Errors.of(ErrorReason.NOT_IMPLEMENTED, receiver.participant() + " does not answer " + type);
    }
    OpenedMessage<MessageLite> opened = receiver.openRequest(request, type);
    MessageContext context = new MessageContext(opened.header(), 0, Context.current().getDeadline());
    MessageLite answer = HandlerCalls.run(() -> Objects.requireNonNull(
        handler.answer(opened.payload(), context), "the handler returned no answer"), context);
    return receiver.sealAnswer(opened, answer);
  }

  @Override
  public String toString() {
    return "RecipientEndpoint{participant=" + receiver.participant() + ", answers=" + passThrough.keySet() + "}";
  }

  /** Registers handlers; each message type at most once. */
  public static final class Builder {
    private final String participant;
    private final KeyRing keys;
    private final PublicKeyResolver senders;
    private Clock clock = Clock.systemUTC();
    private Duration answerLifetime = DEFAULT_ANSWER_LIFETIME;
    private int dedupCapacity = DEFAULT_DEDUP_CAPACITY;
    private boolean allowCallsWithoutTls;
    private final Map<MessageType, PassThroughHandler<MessageLite, MessageLite>> passThrough =
        new EnumMap<>(MessageType.class);
    private final DeliveryRouting deliveries = new DeliveryRouting();

    private Builder(String participant, KeyRing keys, PublicKeyResolver senders) {
      this.participant = Objects.requireNonNull(participant, "participant");
      this.keys = Objects.requireNonNull(keys, "keys");
      this.senders = Objects.requireNonNull(senders, "senderKeys");
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Lifetime of the answers this endpoint seals (at most 24 h). */
    public Builder answerLifetime(Duration d) {
      if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("answerLifetime must be positive and at most 24 h");
      }
      this.answerLifetime = d;
      return this;
    }

    /** How many delivered message ids to remember for deduplication (memory, not durable). */
    public Builder dedupCapacity(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("dedupCapacity must be positive");
      }
      this.dedupCapacity = n;
      return this;
    }

    /**
     * Takes calls that come without TLS (an in-process transport, or behind a TLS-terminating proxy that
     * itself admits only the gateway's certificate). Calls over TLS are still checked. Off by default.
     */
    public Builder allowCallsWithoutTls() {
      this.allowCallsWithoutTls = true;
      return this;
    }

    /** Lead insurer: coverage checks from the bureau and hospitals. */
    public Builder onCoverageQuery(PassThroughHandler<CoverageQuery, CoverageDecision> h) {
      return pass(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, h);
    }

    /** Bureau: enrolment checks from insurers. */
    public Builder onInsuredStatusQuery(PassThroughHandler<InsuredStatusQuery, InsuredStatus> h) {
      return pass(MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY, h);
    }

    /** Bureau: personal-account deductions; act once per (sender, idempotency key). */
    public Builder onDeductionRequest(PassThroughHandler<DeductionRequest, DeductionReceipt> h) {
      return pass(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, h);
    }

    /** Bureau: deduction reversals; act once per (sender, idempotency key). */
    public Builder onDeductionReversal(PassThroughHandler<DeductionReversal, DeductionReceipt> h) {
      return pass(MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL, h);
    }

    /** Lead insurer: one-stop settlement quotes at discharge. */
    public Builder onBenefitQuoteRequest(PassThroughHandler<BenefitQuoteRequest, BenefitQuote> h) {
      return pass(MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, h);
    }

    /** Insurer: pushed settlement data. */
    public Builder onSettlementData(DeliveryHandler<SettlementData> h) {
      deliveries.onSettlementData(h);
      return this;
    }

    /** Insurer: pushed settlement cancellations. */
    public Builder onSettlementCancellation(DeliveryHandler<SettlementCancellation> h) {
      deliveries.onSettlementCancellation(h);
      return this;
    }

    /** Bureau or hospital: pushed claim results. */
    public Builder onClaimResult(DeliveryHandler<ClaimResult> h) {
      deliveries.onClaimResult(h);
      return this;
    }

    /** Bureau: pushed policy registrations. */
    public Builder onPolicyRegistration(DeliveryHandler<PolicyRegistration> h) {
      deliveries.onPolicyRegistration(h);
      return this;
    }

    /** Bureau or insurer: pushed reconciliation reports. */
    public Builder onReconciliationReport(DeliveryHandler<ReconciliationReport> h) {
      deliveries.onReconciliationReport(h);
      return this;
    }

    @SuppressWarnings("unchecked")
    private <Q extends MessageLite, A extends MessageLite> Builder pass(MessageType type, PassThroughHandler<Q, A> h) {
      Objects.requireNonNull(h, "handler");
      if (passThrough.putIfAbsent(type, (PassThroughHandler<MessageLite, MessageLite>) h) != null) {
        throw new IllegalStateException("a handler for " + type + " is already registered");
      }
      return this;
    }

    public RecipientEndpoint build() {
      return new RecipientEndpoint(this);
    }
  }
}
