package io.hmb.conformance.sim;

import java.time.LocalDate;

/**
 * The bureau's record of one posted deduction: POSTED, then at most once REVERSED. Immutable; a
 * reversal replaces the record with {@link #reversed(LocalDate)}.
 *
 * @param sender the insurer that asked for it
 * @param idempotencyKey the insurer's key for the request
 * @param postedOn the business day it was posted (what reconciliation counts)
 * @param reversedOn the business day it was reversed, or null
 */
public record Deduction(String deductionId, String sender, String idempotencyKey, String payerCert, String insuredCert,
    String productCode, String policyNumber, long amountFen, LocalDate policyStart, LocalDate postedOn,
    LocalDate reversedOn) {

  public boolean isReversed() {
    return reversedOn != null;
  }

  Deduction reversed(LocalDate day) {
    return new Deduction(deductionId, sender, idempotencyKey, payerCert, insuredCert, productCode, policyNumber, amountFen,
        policyStart, postedOn, day);
  }

  @Override
  public String toString() {
    return "Deduction{" + deductionId + ", sender=" + sender + ", product=" + productCode + ", amountFen=" + amountFen
        + ", postedOn=" + postedOn + ", reversedOn=" + reversedOn + "}";
  }
}
