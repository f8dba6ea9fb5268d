package io.hmb.adapters.cases;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hmb.adapters.engine.Adjudication;
import io.hmb.adapters.engine.LiabilityResult;
import io.hmb.adapters.engine.PolicyYearLedger;
import java.util.Map;

/** The full breakdown of a case run as JSON: per claim, per liability, every figure and clause. */
public final class CaseQuote {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CaseQuote() {}

  public static String toJson(CaseRun run) {
    ObjectNode root = JSON.createObjectNode();
    BenefitCase c = run.benefitCase();
    root.put("case", c.name());
    root.put("product", c.product());
    ObjectNode params = root.putObject("params");
    c.params().forEach(params::put);
    ArrayNode steps = root.putArray("steps");
    if (run.ledger() != null) {
      for (PolicyYearLedger.Entry e : run.ledger().entries()) {
        if (e instanceof PolicyYearLedger.Applied applied) steps.add(claim(applied.adjudication()));
        else if (e instanceof PolicyYearLedger.Reversal r) {
          ObjectNode n = steps.addObject();
          n.put("reversal_of", r.claimId());
          n.put("version", r.version());
          n.put("reversed_payout_fen", r.payoutFen());
          n.put("reason", r.reason());
        }
      }
      ObjectNode year = root.putObject("year");
      var acc = run.ledger().accumulators();
      year.put("total_payout_fen", acc.totalPaid());
      put(year.putObject("paid_fen"), acc.paidFen());
      put(year.putObject("deductible_used_fen"), acc.deductibleUsedFen());
      put(year.putObject("band_amount_fen"), acc.bandAmountFen());
      ArrayNode room = year.putArray("room");
      for (var r : run.ledger().room()) {
        ObjectNode n = room.addObject();
        n.put("liability", r.liability());
        n.put("deductible_remaining_fen", r.deductibleRemainingFen());
        if (r.capRemainingFen() == Long.MAX_VALUE) n.putNull("cap_remaining_fen");
        else n.put("cap_remaining_fen", r.capRemainingFen());
      }
    }
    ArrayNode mismatches = root.putArray("mismatches");
    run.mismatches().forEach(mismatches::add);
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode claim(Adjudication a) {
    ObjectNode n = JSON.createObjectNode();
    n.put("claim", a.claimId());
    n.put("version", a.version());
    if (a.corrects() != null) n.put("corrects", a.corrects());
    n.put("date", a.date().toString());
    n.put("type", a.type().name());
    n.put("payout_fen", a.payoutFen());
    n.put("outcome", a.outcome().name());
    if (a.denial() != null) {
      n.put("denial_reason", a.denial().name());
      n.put("denial_detail", a.denialDetail());
    }
    ArrayNode ls = n.putArray("liabilities");
    for (LiabilityResult l : a.liabilities()) {
      ObjectNode x = ls.addObject();
      x.put("liability", l.liability());
      x.put("clause", l.clause());
      if (l.denial() != null) x.put("denial_reason", l.denial().name());
      x.put("covered_fen", l.coveredFen());
      x.put("counted_fen", l.countedFen());
      x.put("deductible_applied_fen", l.deductibleAppliedFen());
      ArrayNode bands = x.putArray("bands");
      for (var s : l.segments()) {
        ObjectNode b = bands.addObject();
        b.put("from_fen", s.fromFen());
        b.put("to_fen", s.toFen());
        b.put("amount_fen", s.lengthFen());
        b.put("ratio_bp", s.bp());
      }
      x.put("ratio_bp", l.ratioBp());
      x.put("ratio_source", l.ratioSource());
      x.put("uncapped_payout_fen", l.uncappedPayoutFen());
      if (l.capFen() == null) x.putNull("cap_fen");
      else x.put("cap_fen", l.capFen());
      x.put("capped", l.capped());
      x.put("payout_fen", l.payoutFen());
    }
    ArrayNode trace = n.putArray("trace");
    a.trace().forEach(trace::add);
    return n;
  }

  private static void put(ObjectNode n, Map<String, Long> m) {
    m.forEach(n::put);
  }
}
