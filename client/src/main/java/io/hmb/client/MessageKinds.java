package io.hmb.client;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.DeductionReversal;
import io.hmb.api.v1.InsuredStatus;
import io.hmb.api.v1.InsuredStatusQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.PolicyRegistration;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.SettlementCancellation;
import io.hmb.api.v1.SettlementData;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** The message types as data: delivery mode, answer type, payload parser, key requirement. */
final class MessageKinds {
  enum Kind { PASS_THROUGH, STORE_AND_FORWARD, ANSWER }

  private record Row(Kind kind, Parser<? extends MessageLite> parser, MessageType answer) {}

  private static final Map<MessageType, Row> ROWS = new EnumMap<>(MessageType.class);
  /** Read-only questions: retrying one without an idempotency key changes nothing. */
  private static final Set<MessageType> QUERIES = Set.of(MessageType.MESSAGE_TYPE_COVERAGE_QUERY,
      MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY);

  static {
    pass(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, CoverageQuery.parser(), MessageType.MESSAGE_TYPE_COVERAGE_DECISION);
    pass(MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY, InsuredStatusQuery.parser(), MessageType.MESSAGE_TYPE_INSURED_STATUS);
    pass(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, DeductionRequest.parser(), MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT);
    pass(MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL, DeductionReversal.parser(), MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT);
    pass(MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, BenefitQuoteRequest.parser(), MessageType.MESSAGE_TYPE_BENEFIT_QUOTE);
    stored(MessageType.MESSAGE_TYPE_POLICY_REGISTRATION, PolicyRegistration.parser());
    stored(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, SettlementData.parser());
    stored(MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION, SettlementCancellation.parser());
    stored(MessageType.MESSAGE_TYPE_CLAIM_RESULT, ClaimResult.parser());
    stored(MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT, ReconciliationReport.parser());
    answer(MessageType.MESSAGE_TYPE_COVERAGE_DECISION, CoverageDecision.parser());
    answer(MessageType.MESSAGE_TYPE_INSURED_STATUS, InsuredStatus.parser());
    answer(MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT, DeductionReceipt.parser());
    answer(MessageType.MESSAGE_TYPE_BENEFIT_QUOTE, BenefitQuote.parser());
  }

  private MessageKinds() {}

  private static void pass(MessageType t, Parser<? extends MessageLite> p, MessageType answer) {
    ROWS.put(t, new Row(Kind.PASS_THROUGH, p, answer));
  }

  private static void stored(MessageType t, Parser<? extends MessageLite> p) {
    ROWS.put(t, new Row(Kind.STORE_AND_FORWARD, p, null));
  }

  private static void answer(MessageType t, Parser<? extends MessageLite> p) {
    ROWS.put(t, new Row(Kind.ANSWER, p, null));
  }

  /** The kind of a type; unlisted types (acknowledgement receipts, unknown numbers) count as ANSWER: not sendable. */
  static Kind of(MessageType type) {
    Row r = ROWS.get(type);
    return r == null ? Kind.ANSWER : r.kind();
  }

  static boolean isPassThrough(MessageType type) {
    return of(type) == Kind.PASS_THROUGH;
  }

  static boolean isStoreAndForward(MessageType type) {
    return of(type) == Kind.STORE_AND_FORWARD;
  }

  /** The answer type of a pass-through request type. */
  static MessageType answerTo(MessageType request) {
    Row r = ROWS.get(request);
    if (r == null || r.kind() != Kind.PASS_THROUGH) {
      throw new IllegalArgumentException(request + " is not a pass-through request type");
    }
    return r.answer();
  }

  static boolean requiresIdempotencyKey(MessageType type) {
    return of(type) == Kind.STORE_AND_FORWARD || type == MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST
        || type == MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL;
  }

  static boolean isQuery(MessageType type) {
    return QUERIES.contains(type);
  }

  /** The payload parser of a known type, or null. */
  static Parser<? extends MessageLite> parser(MessageType type) {
    Row r = ROWS.get(type);
    return r == null ? null : r.parser();
  }
}
