package io.hmb.api;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.ClaimServiceGrpc;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.DeductionReversal;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.InsuredStatus;
import io.hmb.api.v1.InsuredStatusQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.PolicyRegistration;
import io.hmb.api.v1.PremiumServiceGrpc;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.ReconciliationServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementCancellation;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one catalogue of message types: for each hmb.v1 {@link MessageType}, how it travels, the RPC(s)
 * that carry it, its answer, whether it needs an idempotency key, and its payload parser. The gateway
 * (which RPC accepts which type, which answer a recipient must send, which type needs a key) and the
 * SDK (which RPC to call, how to open a payload, what may be retried) both read this table, so adding
 * a type is one row here plus its proto. {@code MessageCatalogTest} keeps it in step with the services.
 *
 * <p><b>Question.</b> A <em>question</em> is a pass-through message sent without an idempotency key.
 * Only the pass-through types whose key is optional can be one: coverage query, insured-status query
 * and benefit quote request ({@link Entry#question()}); the same types sent with a key (a binding
 * quote should carry one) are keyed operations like any other. A question's record is the audit of
 * who asked what, so the operator may let it commit without waiting for the disk
 * ({@code --async-commit-for-questions}); see {@link #isQuestion(MessageType, String)}.
 *
 * <p><b>Read-only</b> is a narrower, separate fact ({@link Entry#readOnly()}): answering the message
 * changes nothing at the recipient, so a client may send it again without a key (coverage and insured
 * status). A benefit quote is a question but not read-only: a binding quote holds accumulator room
 * until it expires, so an unkeyed quote is never retried.
 *
 * <p>{@link MessageType#MESSAGE_TYPE_ACKNOWLEDGEMENT_RECEIPT} has no row: a recipient's signed
 * acknowledgement travels only inside a {@code DeliveryReceipt} (the answer to a push), never on a gateway
 * RPC, so it cannot be sent; {@code io.hmb.security.Acknowledgements} seals and checks it.
 */
public final class MessageCatalog {

  /** What a message type is to the gateway. */
  public enum Kind {
    /** A request the caller waits for: the gateway forwards it and returns the recipient's sealed answer. */
    PASS_THROUGH,
    /** Committed by the gateway before the caller gets an Acceptance, then delivered by the outbox. */
    STORE_AND_FORWARD,
    /** The answer to a pass-through request; travels back on its request's RPC, never sent on its own. */
    ANSWER
  }

  /**
   * One row of the catalogue.
   *
   * @param method the unary RPC that carries the type; null for an answer
   * @param upload the streaming upload RPC that also carries it (settlement data, reconciliation
   *     parts); null for every other type
   * @param answer the type a recipient answers a pass-through request with; null otherwise
   */
  public record Entry(MessageType type, Kind kind, Parser<? extends MessageLite> parser,
      MethodDescriptor<SealedEnvelope, ?> method, MethodDescriptor<SealedEnvelope, Acceptance> upload,
      MessageType answer, boolean keyRequired, boolean readOnly) {

    /** Whether a message of this type sent without an idempotency key is a question (see the class comment). */
    public boolean question() {
      return kind == Kind.PASS_THROUGH && !keyRequired;
    }

    /** Whether the SDK may send it: answers go back only on their request's RPC. */
    public boolean sendable() {
      return kind != Kind.ANSWER;
    }

    /** Every RPC that carries the type: the unary one, then the upload stream if there is one. */
    public List<MethodDescriptor<SealedEnvelope, ?>> methods() {
      List<MethodDescriptor<SealedEnvelope, ?>> all = new ArrayList<>(2);
      if (method != null) {
        all.add(method);
      }
      if (upload != null) {
        all.add(upload);
      }
      return all;
    }
  }

  /** An envelope-carrying RPC and the one row (type) it accepts. */
  public record Rpc(MethodDescriptor<SealedEnvelope, ?> method, Entry accepts) {
    public String fullMethodName() {
      return method.getFullMethodName();
    }

    /** The one message type the RPC accepts. */
    public MessageType acceptedType() {
      return accepts.type();
    }
  }

  private static final Map<MessageType, Entry> ENTRIES = build();
  private static final Map<String, Rpc> RPCS = rpcsOf(ENTRIES);

  /** The hmb.v1 services whose RPCs carry envelopes from participants (each RPC is in {@link #rpcs()}). */
  private static final List<ServiceDescriptor> SERVICES = List.of(
      EligibilityServiceGrpc.getServiceDescriptor(),
      PremiumServiceGrpc.getServiceDescriptor(),
      SettlementServiceGrpc.getServiceDescriptor(),
      ClaimServiceGrpc.getServiceDescriptor(),
      ReconciliationServiceGrpc.getServiceDescriptor());

  private MessageCatalog() {}

  private static Map<MessageType, Entry> build() {
    Map<MessageType, Entry> m = new EnumMap<>(MessageType.class);
    // Questions and deductions: the caller waits for the recipient's answer.
    pass(m, MessageType.MESSAGE_TYPE_COVERAGE_QUERY, CoverageQuery.parser(),
        EligibilityServiceGrpc.getCheckCoverageMethod(), MessageType.MESSAGE_TYPE_COVERAGE_DECISION, Key.OPTIONAL_READ_ONLY);
    pass(m, MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY, InsuredStatusQuery.parser(),
        EligibilityServiceGrpc.getCheckInsuredStatusMethod(), MessageType.MESSAGE_TYPE_INSURED_STATUS, Key.OPTIONAL_READ_ONLY);
    // Deductions move money: a retry must be recognisable, so the key is mandatory.
    pass(m, MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, DeductionRequest.parser(),
        PremiumServiceGrpc.getRequestDeductionMethod(), MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT, Key.REQUIRED);
    pass(m, MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL, DeductionReversal.parser(),
        PremiumServiceGrpc.getReverseDeductionMethod(), MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT, Key.REQUIRED);
    // A binding quote holds accumulator room: optional key, but not read-only.
    pass(m, MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, BenefitQuoteRequest.parser(),
        SettlementServiceGrpc.getQuoteBenefitMethod(), MessageType.MESSAGE_TYPE_BENEFIT_QUOTE, Key.OPTIONAL);
    // Store-and-forward: every one needs a key (it is committed and delivered later).
    stored(m, MessageType.MESSAGE_TYPE_POLICY_REGISTRATION, PolicyRegistration.parser(),
        PremiumServiceGrpc.getRegisterPolicyMethod(), null);
    stored(m, MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, SettlementData.parser(),
        SettlementServiceGrpc.getSubmitSettlementMethod(), SettlementServiceGrpc.getUploadSettlementsMethod());
    stored(m, MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION, SettlementCancellation.parser(),
        SettlementServiceGrpc.getCancelSettlementMethod(), null);
    stored(m, MessageType.MESSAGE_TYPE_CLAIM_RESULT, ClaimResult.parser(),
        ClaimServiceGrpc.getPublishClaimResultMethod(), null);
    stored(m, MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT, ReconciliationReport.parser(),
        ReconciliationServiceGrpc.getSubmitReportMethod(), ReconciliationServiceGrpc.getUploadReportPartsMethod());
    // Answers to pass-through requests.
    answer(m, MessageType.MESSAGE_TYPE_COVERAGE_DECISION, CoverageDecision.parser());
    answer(m, MessageType.MESSAGE_TYPE_INSURED_STATUS, InsuredStatus.parser());
    answer(m, MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT, DeductionReceipt.parser());
    answer(m, MessageType.MESSAGE_TYPE_BENEFIT_QUOTE, BenefitQuote.parser());
    return m;
  }

  private enum Key { REQUIRED, OPTIONAL, OPTIONAL_READ_ONLY }

  private static void pass(Map<MessageType, Entry> m, MessageType type, Parser<? extends MessageLite> parser,
      MethodDescriptor<SealedEnvelope, SealedEnvelope> method, MessageType answer, Key key) {
    m.put(type, new Entry(type, Kind.PASS_THROUGH, parser, method, null, answer, key == Key.REQUIRED,
        key == Key.OPTIONAL_READ_ONLY));
  }

  private static void stored(Map<MessageType, Entry> m, MessageType type, Parser<? extends MessageLite> parser,
      MethodDescriptor<SealedEnvelope, Acceptance> method, MethodDescriptor<SealedEnvelope, Acceptance> upload) {
    m.put(type, new Entry(type, Kind.STORE_AND_FORWARD, parser, method, upload, null, true, false));
  }

  private static void answer(Map<MessageType, Entry> m, MessageType type, Parser<? extends MessageLite> parser) {
    m.put(type, new Entry(type, Kind.ANSWER, parser, null, null, null, false, false));
  }

  private static Map<String, Rpc> rpcsOf(Map<MessageType, Entry> entries) {
    Map<String, Rpc> rpcs = new LinkedHashMap<>();
    for (Entry e : entries.values()) {
      for (MethodDescriptor<SealedEnvelope, ?> method : e.methods()) {
        if (rpcs.put(method.getFullMethodName(), new Rpc(method, e)) != null) {
          throw new IllegalStateException(method.getFullMethodName() + " carries more than one message type");
        }
      }
    }
    return rpcs;
  }

  /** All rows, in the order of the type numbers. */
  public static Map<MessageType, Entry> entries() {
    return Collections.unmodifiableMap(ENTRIES);
  }

  /** The row of a type, if it has one (UNSPECIFIED, UNRECOGNIZED and ACKNOWLEDGEMENT_RECEIPT have none). */
  public static Optional<Entry> find(MessageType type) {
    return Optional.ofNullable(ENTRIES.get(type));
  }

  /** The row of a type; throws for a type without one. */
  public static Entry entry(MessageType type) {
    Entry entry = ENTRIES.get(type);
    if (entry == null) {
      throw new IllegalArgumentException("no catalogue entry for " + type);
    }
    return entry;
  }

  /** Every envelope-carrying RPC, each with the one type it accepts. */
  public static List<Rpc> rpcs() {
    return List.copyOf(RPCS.values());
  }

  /** The catalogued RPC of a method; throws for a method that does not carry envelopes. */
  public static Rpc rpc(MethodDescriptor<?, ?> method) {
    Rpc rpc = RPCS.get(method.getFullMethodName());
    if (rpc == null) {
      throw new IllegalArgumentException(method.getFullMethodName() + " is not an envelope-carrying RPC");
    }
    return rpc;
  }

  /** The services whose every RPC carries envelopes: together, exactly the methods of {@link #rpcs()}. */
  public static List<ServiceDescriptor> services() {
    return SERVICES;
  }

  /** Whether the type has a row of that kind (false for types without a row). */
  public static boolean is(MessageType type, Kind kind) {
    Entry e = ENTRIES.get(type);
    return e != null && e.kind() == kind;
  }

  /** Whether a participant may send the type as a request: it has a row, and is not an answer. */
  public static boolean isRequest(MessageType type) {
    Entry e = ENTRIES.get(type);
    return e != null && e.sendable();
  }

  /** The answer type of a pass-through request type. */
  public static MessageType answerTo(MessageType request) {
    Entry e = ENTRIES.get(request);
    if (e == null || e.kind() != Kind.PASS_THROUGH) {
      throw new IllegalArgumentException(request + " is not a pass-through request type");
    }
    return e.answer();
  }

  /** Whether a message of this type needs header.idempotency_key (false for types without a row). */
  public static boolean requiresIdempotencyKey(MessageType type) {
    Entry e = ENTRIES.get(type);
    return e != null && e.keyRequired();
  }

  /** Whether the type is read-only: sent again without a key, it changes nothing (see the class comment). */
  public static boolean isReadOnly(MessageType type) {
    Entry e = ENTRIES.get(type);
    return e != null && e.readOnly();
  }

  /**
   * Whether a message is a question: a pass-through type whose key is optional, sent without one
   * (the one definition; see the class comment).
   */
  public static boolean isQuestion(MessageType type, String idempotencyKey) {
    Entry e = ENTRIES.get(type);
    return e != null && e.question() && (idempotencyKey == null || idempotencyKey.isEmpty());
  }

  /**
   * The longest a pass-through request or an answer may live (expire_time - create_time): the caller
   * waits for it, so a day is generous (docs/envelope.md). The gateway refuses longer with
   * INVALID_HEADER_FIELD (field expire_time).
   */
  public static final java.time.Duration PASS_THROUGH_MAX_LIFETIME = java.time.Duration.ofHours(24);
  /** The longest a store-and-forward message may live: it may wait in the outbox for its recipient. */
  public static final java.time.Duration STORE_AND_FORWARD_MAX_LIFETIME = java.time.Duration.ofDays(7);

  /** The longest an envelope of this type may live: 7 days if stored and forwarded, else 24 hours. */
  public static java.time.Duration maxLifetime(MessageType type) {
    return is(type, Kind.STORE_AND_FORWARD) ? STORE_AND_FORWARD_MAX_LIFETIME : PASS_THROUGH_MAX_LIFETIME;
  }

  /** The unary pass-through RPC of a request type. */
  @SuppressWarnings("unchecked") // pass() takes only <SealedEnvelope, SealedEnvelope> methods
  public static MethodDescriptor<SealedEnvelope, SealedEnvelope> exchangeMethod(MessageType type) {
    Entry e = require(type, Kind.PASS_THROUGH, "a pass-through request");
    return (MethodDescriptor<SealedEnvelope, SealedEnvelope>) e.method();
  }

  /** The unary store-and-forward RPC of a type. */
  @SuppressWarnings("unchecked") // stored() takes only <SealedEnvelope, Acceptance> methods
  public static MethodDescriptor<SealedEnvelope, Acceptance> submitMethod(MessageType type) {
    Entry e = require(type, Kind.STORE_AND_FORWARD, "a store-and-forward message");
    return (MethodDescriptor<SealedEnvelope, Acceptance>) e.method();
  }

  /** The streaming upload RPC of a type (settlement data, reconciliation parts). */
  public static MethodDescriptor<SealedEnvelope, Acceptance> uploadMethod(MessageType type) {
    Entry e = ENTRIES.get(type);
    if (e == null || e.upload() == null) {
      throw new IllegalArgumentException(type + " is not uploadable in a stream (settlement data or reconciliation parts)");
    }
    return e.upload();
  }

  private static Entry require(MessageType type, Kind kind, String what) {
    Entry e = ENTRIES.get(type);
    if (e == null || e.kind() != kind) {
      throw new IllegalArgumentException(type + " is not " + what);
    }
    return e;
  }
}
