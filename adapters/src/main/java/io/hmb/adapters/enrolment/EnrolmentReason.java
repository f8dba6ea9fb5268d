package io.hmb.adapters.enrolment;

import io.hmb.api.v1.DeductionReceipt;

/** Why an enrolment, payment, refund or newborn cover is allowed or refused; maps to the bureau's reasons. */
public enum EnrolmentReason {
  OK(DeductionReceipt.RejectionReason.REJECTION_REASON_UNSPECIFIED),
  PRODUCT_NOT_ON_SALE(DeductionReceipt.RejectionReason.REJECTION_REASON_SALES_WINDOW_CLOSED),
  SALES_WINDOW_CLOSED(DeductionReceipt.RejectionReason.REJECTION_REASON_SALES_WINDOW_CLOSED),
  NOT_INSURED(DeductionReceipt.RejectionReason.REJECTION_REASON_NOT_INSURED_IN_CITY),
  NOT_INSURED_IN_CITY(DeductionReceipt.RejectionReason.REJECTION_REASON_NOT_INSURED_IN_CITY),
  BASIC_INSURANCE_SUSPENDED(DeductionReceipt.RejectionReason.REJECTION_REASON_NOT_INSURED_IN_CITY),
  ALREADY_ENROLLED(DeductionReceipt.RejectionReason.REJECTION_REASON_ALREADY_ENROLLED),
  PERSONAL_ACCOUNT_NOT_OFFERED(DeductionReceipt.RejectionReason.REJECTION_REASON_NO_PERSONAL_ACCOUNT),
  NO_PERSONAL_ACCOUNT(DeductionReceipt.RejectionReason.REJECTION_REASON_NO_PERSONAL_ACCOUNT),
  PAYER_NOT_INSURED_IN_CITY(DeductionReceipt.RejectionReason.REJECTION_REASON_NOT_INSURED_IN_CITY),
  NOT_DIRECT_FAMILY(DeductionReceipt.RejectionReason.REJECTION_REASON_NOT_DIRECT_FAMILY),
  FAMILY_NOT_INSURED_IN_CITY(DeductionReceipt.RejectionReason.REJECTION_REASON_NOT_INSURED_IN_CITY),
  /** Refund refused: the policy already took effect. */
  POLICY_IN_EFFECT(DeductionReceipt.RejectionReason.REJECTION_REASON_POLICY_IN_EFFECT),
  /** Refund refused: the product offers no refund through the gateway. */
  REFUND_NOT_OFFERED(DeductionReceipt.RejectionReason.REJECTION_REASON_POLICY_IN_EFFECT),
  NOT_A_NEWBORN_PRODUCT(DeductionReceipt.RejectionReason.REJECTION_REASON_UNSPECIFIED),
  BORN_OUTSIDE_PERIOD(DeductionReceipt.RejectionReason.REJECTION_REASON_UNSPECIFIED),
  NEWBORN_PARENTS_NOT_BOTH_ENROLLED(DeductionReceipt.RejectionReason.REJECTION_REASON_UNSPECIFIED),
  /** Coverage answer: the day is outside the policy's period. */
  OUTSIDE_PERIOD(DeductionReceipt.RejectionReason.REJECTION_REASON_UNSPECIFIED);

  private final DeductionReceipt.RejectionReason wire;

  EnrolmentReason(DeductionReceipt.RejectionReason wire) {
    this.wire = wire;
  }

  /** The bureau's rejection reason for a deduction refused for this reason. */
  public DeductionReceipt.RejectionReason toProto() {
    return wire;
  }
}
