package io.hmb.conformance.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.ReconciliationReport.Mismatch;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PremiumReconciliationTest {
  static final LocalDate DAY = LocalDate.of(2023, 12, 20);

  @Test
  void aReportTotalsItsLinesAndItemsCarryTheNetAmount() {
    ReconciliationReport r = PremiumReconciliation.report("R1", DAY, "INSURER-LEAD-371500", List.of(
        new PremiumReconciliation.Line("D-1", 8900, false), new PremiumReconciliation.Line("D-2", 8900, true)));
    assertThat(r.getTotals().getCount()).isEqualTo(2);
    assertThat(r.getTotals().getAmountFen()).isEqualTo(17_800);
    assertThat(r.getTotals().getReversedCount()).isEqualTo(1);
    assertThat(r.getTotals().getReversedAmountFen()).isEqualTo(8_900);
    assertThat(r.getItemsList()).extracting(ReconciliationReport.Item::getAmountFen).containsExactly(8_900L, 0L);
  }

  @Test
  void comparingFindsEveryKindOfMismatchFromTheReceiversSide() {
    ReconciliationReport theirs = PremiumReconciliation.report("R1", DAY, "BUREAU-371500", List.of(
        new PremiumReconciliation.Line("D-1", 8900, false), new PremiumReconciliation.Line("D-2", 8900, false),
        new PremiumReconciliation.Line("D-3", 8900, false), new PremiumReconciliation.Line("D-4", 8900, false)));
    PremiumReconciliation.Outcome o = PremiumReconciliation.compare(theirs, "BUREAU-371500", List.of(
        new PremiumReconciliation.Line("D-1", 8900, false), new PremiumReconciliation.Line("D-2", 8900, true),
        new PremiumReconciliation.Line("D-3", 5900, false), new PremiumReconciliation.Line("D-5", 8900, false)));
    assertThat(o.matches()).isFalse();
    assertThat(o.mismatches()).extracting(ReconciliationReport.Item::getRecordId, ReconciliationReport.Item::getMismatch)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("D-2", Mismatch.MISMATCH_STATE_DIFFERS),
            org.assertj.core.groups.Tuple.tuple("D-3", Mismatch.MISMATCH_AMOUNT_DIFFERS),
            org.assertj.core.groups.Tuple.tuple("D-4", Mismatch.MISMATCH_MISSING_AT_SENDER),
            org.assertj.core.groups.Tuple.tuple("D-5", Mismatch.MISMATCH_MISSING_AT_COUNTERPARTY));
  }
}
