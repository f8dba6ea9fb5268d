package io.hmb.conformance.sim;

import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.SettlementData;
import java.util.Optional;

/**
 * What happened when a bill was settled (a discharge or a drug purchase): basic settlement, and for an
 * enrolled patient the settlement data sent to the product's lead insurer and, where the city settles
 * stays one-stop, the insurer's binding quote. Amounts in fen. {@link #toString()} holds no personal data.
 *
 * @param publicPaidFen paid by basic insurance and 大病
 * @param personPartFen left to the patient after the public layers
 * @param productCode the product the patient holds on the discharge or purchase day, empty when none
 * @param settlement the settlement data sent (or, for a hospital quoting alone, the data it quoted on)
 * @param quote the one-stop quote, when there was one
 * @param patientPaysFen what the patient pays at the counter: personPart less a binding quote's payout
 */
public record BillSettlement(String settlementId, long totalFen, long publicPaidFen, long personPartFen,
    Optional<String> productCode, Optional<SettlementData> settlement, Optional<BenefitQuote> quote, long patientPaysFen) {

  public boolean oneStop() {
    return quote.isPresent();
  }

  @Override
  public String toString() {
    return "BillSettlement{" + settlementId + ", totalFen=" + totalFen + ", publicPaidFen=" + publicPaidFen
        + ", personPartFen=" + personPartFen + ", product=" + productCode.orElse("-") + ", settlementSent="
        + settlement.isPresent() + ", quotePayoutFen=" + quote.map(q -> String.valueOf(q.getPayoutFen())).orElse("-")
        + ", patientPaysFen=" + patientPaysFen + "}";
  }
}
