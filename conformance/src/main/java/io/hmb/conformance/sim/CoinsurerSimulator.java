package io.hmb.conformance.sim;

import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.SettlementData;
import io.hmb.client.RecipientEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A co-insurer (共保体成员) that is not the lead: the lead decides every claim and the gateway's matrix
 * sends it no claim results, so it only records what a bureau may send any member of the body
 * (settlement-data copies, reconciliation reports) and answers no pass-through request.
 */
public final class CoinsurerSimulator {
  private static final Logger log = LoggerFactory.getLogger(CoinsurerSimulator.class);
  private final RecipientEndpoint endpoint;
  private final List<String> received = new ArrayList<>();

  public CoinsurerSimulator(GatewayConnection connection) {
    this.endpoint = RecipientEndpoint.builder(connection.client())
        .onSettlementData((SettlementData s, io.hmb.client.MessageContext ctx) -> record("settlement " + s.getSettlementId(), ctx))
        .onReconciliationReport((ReconciliationReport r, io.hmb.client.MessageContext ctx) -> record("reconciliation " + r.getReportId(), ctx))
        .build();
  }

  private void record(String what, io.hmb.client.MessageContext ctx) {
    synchronized (received) {
      received.add(what);
    }
    log.info("co-insurer received {} from={}", what, ctx.sender());
  }

  public RecipientEndpoint endpoint() {
    return endpoint;
  }

  /** What arrived, as "settlement ID" / "reconciliation ID", in order. */
  public List<String> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }
}
