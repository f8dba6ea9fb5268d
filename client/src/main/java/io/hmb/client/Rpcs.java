package io.hmb.client;

import io.grpc.MethodDescriptor;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.ClaimServiceGrpc;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.PremiumServiceGrpc;
import io.hmb.api.v1.ReconciliationServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementServiceGrpc;
import java.util.EnumMap;
import java.util.Map;

/** Which gateway RPC carries which message type (each RPC accepts exactly one type). */
final class Rpcs {
  private static final Map<MessageType, MethodDescriptor<SealedEnvelope, SealedEnvelope>> EXCHANGE =
      new EnumMap<>(MessageType.class);
  private static final Map<MessageType, MethodDescriptor<SealedEnvelope, Acceptance>> SUBMIT =
      new EnumMap<>(MessageType.class);
  private static final Map<MessageType, MethodDescriptor<SealedEnvelope, Acceptance>> UPLOAD =
      new EnumMap<>(MessageType.class);

  static {
    EXCHANGE.put(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, EligibilityServiceGrpc.getCheckCoverageMethod());
    EXCHANGE.put(MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY, EligibilityServiceGrpc.getCheckInsuredStatusMethod());
    EXCHANGE.put(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, PremiumServiceGrpc.getRequestDeductionMethod());
    EXCHANGE.put(MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL, PremiumServiceGrpc.getReverseDeductionMethod());
    EXCHANGE.put(MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, SettlementServiceGrpc.getQuoteBenefitMethod());
    SUBMIT.put(MessageType.MESSAGE_TYPE_POLICY_REGISTRATION, PremiumServiceGrpc.getRegisterPolicyMethod());
    SUBMIT.put(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, SettlementServiceGrpc.getSubmitSettlementMethod());
    SUBMIT.put(MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION, SettlementServiceGrpc.getCancelSettlementMethod());
    SUBMIT.put(MessageType.MESSAGE_TYPE_CLAIM_RESULT, ClaimServiceGrpc.getPublishClaimResultMethod());
    SUBMIT.put(MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT, ReconciliationServiceGrpc.getSubmitReportMethod());
    UPLOAD.put(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, SettlementServiceGrpc.getUploadSettlementsMethod());
    UPLOAD.put(MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT, ReconciliationServiceGrpc.getUploadReportPartsMethod());
  }

  private Rpcs() {}

  static MethodDescriptor<SealedEnvelope, SealedEnvelope> exchange(MessageType type) {
    return require(EXCHANGE.get(type), type, "a pass-through request");
  }

  static MethodDescriptor<SealedEnvelope, Acceptance> submit(MessageType type) {
    return require(SUBMIT.get(type), type, "a store-and-forward message");
  }

  static MethodDescriptor<SealedEnvelope, Acceptance> upload(MessageType type) {
    return require(UPLOAD.get(type), type, "uploadable in a stream (settlement data or reconciliation parts)");
  }

  private static <M> M require(M method, MessageType type, String what) {
    if (method == null) {
      throw new IllegalArgumentException(type + " is not " + what);
    }
    return method;
  }
}
