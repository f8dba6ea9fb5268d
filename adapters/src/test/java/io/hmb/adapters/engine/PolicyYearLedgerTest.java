package io.hmb.adapters.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PolicyYearLedgerTest {
  static final Product UPGRADE = ProductCatalog.shipped().get("dalian-2025-upgrade");
  static final Insured PERSON = new Insured(LocalDate.of(1980, 6, 15), "210200", Scheme.EMPLOYEE, false, Assistance.NONE, null, null);

  static Claim stay(String id, long outOfCatalogueFen) {
    return Claim.of(id, LocalDate.of(2026, 1, 10), ClaimType.INPATIENT, "210200",
        new Costs(outOfCatalogueFen, 0, 0, 0, outOfCatalogueFen, 0, 0));
  }

  PolicyYearLedger ledger() {
    return PolicyYearLedger.open(ProductTerms.of(UPGRADE), PERSON, LocalDate.of(2026, 1, 1));
  }

  @Test
  void aClaimIdIsLiveOnceAndOnlyLiveClaimsReverse() {
    var ledger = ledger();
    ledger.submit(stay("c1", 2_000_000));
    assertThatThrownBy(() -> ledger.submit(stay("c1", 2_000_000))).isInstanceOf(IllegalStateException.class)
        .hasMessage("claim c1 is already applied; cancel or correct it");
    ledger.cancel("c1", "test");
    assertThatThrownBy(() -> ledger.cancel("c1", "again")).isInstanceOf(IllegalStateException.class)
        .hasMessage("claim c1 is not live; nothing to reverse");
    assertThatThrownBy(() -> ledger.correct("c9", stay("c9b", 1))).hasMessage("claim c9 is not live; nothing to correct");
  }

  @Test
  void theLedgerIsAppendOnlyAndACorrectionIsTheNextVersion() {
    var ledger = ledger();
    ledger.submit(stay("c1", 2_000_000));
    Adjudication v2 = ledger.correct("c1", stay("c1", 2_500_000));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.corrects()).isEqualTo("c1");
    assertThat(ledger.entries()).hasSize(3);
    assertThat(ledger.entries().get(1)).isInstanceOf(PolicyYearLedger.Reversal.class);
    assertThat(((PolicyYearLedger.Reversal) ledger.entries().get(1)).payoutFen()).isEqualTo(480_000L);
    assertThat(ledger.totalPaidFen()).isEqualTo(780_000L); // (25,000 - 12,000) x 60%
  }

  @Test
  void roomShowsDeductibleLeftAndCapLeftPerLiability() {
    var ledger = ledger();
    ledger.submit(stay("c1", 500_000));
    var room = ledger.room();
    assertThat(room).extracting(PolicyYearLedger.Room::liability).containsExactly("hospital", "special_drug", "pku_food");
    assertThat(room.get(0).deductibleRemainingFen()).isEqualTo(700_000L);
    assertThat(room.get(0).capRemainingFen()).isEqualTo(100_000_000L);
    assertThat(room.get(2).deductibleRemainingFen()).isZero();
  }

  @Test
  void reversingSomethingNeverAppliedIsRefused() {
    var delta = new Accumulators(java.util.Map.of("hospital", 1L), java.util.Map.of(), java.util.Map.of());
    assertThatThrownBy(() -> Accumulators.EMPTY.minus(delta)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("would go negative");
  }

  @Test
  void parametersAreRequiredWhereTheProductDeclaresThem() {
    var ci = ProductCatalog.shipped().get("dalian-resident-critical-illness");
    assertThatThrownBy(() -> ProductTerms.of(ci)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dalian-resident-critical-illness: parameters missing [prior_year_disposable_income_fen], unknown []");
    assertThatThrownBy(() -> ProductTerms.of(UPGRADE, java.util.Map.of("x", 1L)))
        .hasMessage("dalian-2025-upgrade: parameters missing [], unknown [x]");
    var terms = ProductTerms.of(ci, java.util.Map.of("prior_year_disposable_income_fen", 5_000_000L));
    assertThat(terms.deductibleFen("threshold", Assistance.NONE)).isEqualTo(2_500_000L);
    assertThat(terms.deductibleFen("threshold", Assistance.TEKUN)).isEqualTo(1_250_000L);
  }
}
