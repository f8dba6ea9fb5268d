package io.hmb.conformance.sim;

import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.ReconciliationReport.Item;
import io.hmb.api.v1.ReconciliationReport.Mismatch;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Daily reconciliation of premium deductions (对账) between a bureau and an insurer: the detail report
 * one side sends, and the comparison the other side makes when it arrives.
 *
 * <p>The contract's items carry an amount but no state, so an item's amount is the <i>net</i> amount:
 * the premium while posted, 0 once reversed. Two records with the same id where one side has 0 and the
 * other the premium are STATE_DIFFERS (reversed on one side only); other differences AMOUNT_DIFFERS.
 */
public final class PremiumReconciliation {
  /** One deduction as one side knows it. */
  public record Line(String deductionId, long amountFen, boolean reversed) {
    long netFen() {
      return reversed ? 0 : amountFen;
    }
  }

  /** The result of comparing a received report with one's own lines, from the receiver's side. */
  public record Outcome(String reportId, String from, LocalDate businessDay, ReconciliationReport.Totals theirTotals,
      List<Item> mismatches) {
    public boolean matches() {
      return mismatches.isEmpty();
    }
  }

  private PremiumReconciliation() {}

  /** A detail report (every item, each MISMATCH_NONE as far as the sender knows). */
  public static ReconciliationReport report(String reportId, LocalDate day, String counterparty, List<Line> lines) {
    ReconciliationReport.Totals.Builder totals = ReconciliationReport.Totals.newBuilder();
    ReconciliationReport.Builder r = ReconciliationReport.newBuilder().setReportId(reportId)
        .setBusinessDate(ProtoDates.date(day)).setCounterparty(counterparty)
        .setScope(ReconciliationReport.Scope.SCOPE_PREMIUM_DEDUCTIONS).setPart(1).setPartCount(1);
    for (Line l : lines) {
      totals.setCount(totals.getCount() + 1).setAmountFen(totals.getAmountFen() + l.amountFen());
      if (l.reversed()) {
        totals.setReversedCount(totals.getReversedCount() + 1).setReversedAmountFen(totals.getReversedAmountFen() + l.amountFen());
      }
      r.addItems(Item.newBuilder().setRecordId(l.deductionId()).setAmountFen(l.netFen()).setMismatch(Mismatch.MISMATCH_NONE));
    }
    return r.setTotals(totals).build();
  }

  /** Compares a received report with {@code mine}; mismatches are phrased as the receiver would report them. */
  public static Outcome compare(ReconciliationReport theirs, String from, List<Line> mine) {
    Map<String, Line> own = new LinkedHashMap<>();
    mine.forEach(l -> own.put(l.deductionId(), l));
    List<Item> mismatches = new ArrayList<>();
    for (Item item : theirs.getItemsList()) {
      Line l = own.remove(item.getRecordId());
      if (l == null) {
        mismatches.add(item.toBuilder().setAmountFen(0).setCounterpartyAmountFen(item.getAmountFen())
            .setMismatch(Mismatch.MISMATCH_MISSING_AT_SENDER).build());
      } else if (l.netFen() != item.getAmountFen()) {
        boolean reversedOnOneSide = l.netFen() == 0 || item.getAmountFen() == 0;
        mismatches.add(Item.newBuilder().setRecordId(l.deductionId()).setAmountFen(l.netFen())
            .setCounterpartyAmountFen(item.getAmountFen())
            .setMismatch(reversedOnOneSide ? Mismatch.MISMATCH_STATE_DIFFERS : Mismatch.MISMATCH_AMOUNT_DIFFERS).build());
      }
    }
    own.values().forEach(l -> mismatches.add(Item.newBuilder().setRecordId(l.deductionId()).setAmountFen(l.netFen())
        .setMismatch(Mismatch.MISMATCH_MISSING_AT_COUNTERPARTY).build()));
    return new Outcome(theirs.getReportId(), from, ProtoDates.localDate(theirs.getBusinessDate()), theirs.getTotals(),
        List.copyOf(mismatches));
  }
}
