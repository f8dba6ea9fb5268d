package io.hmb.gateway.intake;

import io.hmb.api.v1.ClaimServiceGrpc;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.PremiumServiceGrpc;
import io.hmb.api.v1.ReconciliationServiceGrpc;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.grpc.MethodDescriptor;

/** Every envelope-carrying RPC of hmb.v1, the one message type it accepts, and how it is delivered. */
public enum Rpc {
  CHECK_COVERAGE(EligibilityServiceGrpc.getCheckCoverageMethod(), MessageType.MESSAGE_TYPE_COVERAGE_QUERY, Delivery.PASS_THROUGH),
  CHECK_INSURED_STATUS(EligibilityServiceGrpc.getCheckInsuredStatusMethod(), MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY, Delivery.PASS_THROUGH),
  REQUEST_DEDUCTION(PremiumServiceGrpc.getRequestDeductionMethod(), MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, Delivery.PASS_THROUGH),
  REVERSE_DEDUCTION(PremiumServiceGrpc.getReverseDeductionMethod(), MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL, Delivery.PASS_THROUGH),
  REGISTER_POLICY(PremiumServiceGrpc.getRegisterPolicyMethod(), MessageType.MESSAGE_TYPE_POLICY_REGISTRATION, Delivery.STORE_AND_FORWARD),
  SUBMIT_SETTLEMENT(SettlementServiceGrpc.getSubmitSettlementMethod(), MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, Delivery.STORE_AND_FORWARD),
  UPLOAD_SETTLEMENTS(SettlementServiceGrpc.getUploadSettlementsMethod(), MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, Delivery.STORE_AND_FORWARD),
  CANCEL_SETTLEMENT(SettlementServiceGrpc.getCancelSettlementMethod(), MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION, Delivery.STORE_AND_FORWARD),
  QUOTE_BENEFIT(SettlementServiceGrpc.getQuoteBenefitMethod(), MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, Delivery.PASS_THROUGH),
  PUBLISH_CLAIM_RESULT(ClaimServiceGrpc.getPublishClaimResultMethod(), MessageType.MESSAGE_TYPE_CLAIM_RESULT, Delivery.STORE_AND_FORWARD),
  SUBMIT_RECONCILIATION(ReconciliationServiceGrpc.getSubmitReportMethod(), MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT, Delivery.STORE_AND_FORWARD),
  UPLOAD_RECONCILIATION_PARTS(ReconciliationServiceGrpc.getUploadReportPartsMethod(), MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT, Delivery.STORE_AND_FORWARD);

  private final MethodDescriptor<?, ?> method;
  private final MessageType accepts;
  private final Delivery delivery;

  Rpc(MethodDescriptor<?, ?> method, MessageType accepts, Delivery delivery) {
    this.method = method;
    this.accepts = accepts;
    this.delivery = delivery;
  }

  public String fullMethodName() {
    return method.getFullMethodName();
  }

  public MessageType accepts() {
    return accepts;
  }

  public Delivery delivery() {
    return delivery;
  }
}
