package io.hmb.conformance.sim;

import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.SettlementData;
import io.hmb.client.GatewayException;
import io.hmb.client.HospitalClient;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hospital that settles alone (no bureau in the process): it runs the same simulated basic settlement
 * the bureau runs and, for a patient covered at admission, asks the lead insurer for the one-stop quote
 * itself, as the design allows hospitals to. It cannot send settlement data (only the bureau may); its
 * 大病 figures see only its own bills.
 */
public final class SelfQuotingSettler implements DischargeSettler {
  private static final Logger log = LoggerFactory.getLogger(SelfQuotingSettler.class);
  private final HospitalClient hospital;
  private final BasicSettlement basic;
  private final String code;
  private final String runTag;
  private final AtomicInteger seq = new AtomicInteger();

  public SelfQuotingSettler(GatewayConnection connection, String city, ProductCatalog catalog) {
    this.hospital = new HospitalClient(connection.client()).withDeadline(BureauSimulator.QUOTE_DEADLINE);
    this.basic = new BasicSettlement(city, catalog, BasicSettlement.DEFAULT_PRIOR_YEAR_INCOME_FEN);
    this.code = connection.code();
    this.runTag = RunTag.next();
  }

  @Override
  public synchronized BillSettlement settle(Resident patient, Bill bill, Optional<CoverageDecision> admission) {
    int n = seq.incrementAndGet();
    String id = String.format("S-%s-%s-%05d", code, runTag, n);
    BasicSettlement.Result r = basic.settle(patient, bill, id, "V" + id.substring(1));
    Optional<CoverageDecision> covered = admission.filter(CoverageDecision::getCovered);
    if (covered.isEmpty()) {
      return new BillSettlement(id, r.totalFen(), r.publicPaidFen(), r.personPartFen(), Optional.empty(),
          Optional.empty(), Optional.empty(), r.personPartFen());
    }
    String product = covered.get().getProductCode();
    LocalDate start = ProtoDates.localDate(covered.get().getPeriodStartDate());
    SettlementData data = basic.toSettlementData(r, patient, bill, product, start);
    Optional<BenefitQuote> quote;
    try {
      quote = Optional.of(hospital.quoteBenefit(product, "quote:" + id,
          BenefitQuoteRequest.newBuilder().setSettlement(data).setBinding(true).build()).payload());
    } catch (GatewayException e) {
      log.warn("quote failed settlementId={} reason={}", id, e.reason());
      quote = Optional.empty();
    }
    long pays = r.personPartFen() - quote.map(BenefitQuote::getPayoutFen).orElse(0L);
    return new BillSettlement(id, r.totalFen(), r.publicPaidFen(), r.personPartFen(), Optional.of(product),
        Optional.of(data), quote, pays);
  }
}
