package io.hmb.adapters.enrolment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.adapters.engine.Product;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.Relation;
import io.hmb.adapters.engine.Scheme;
import io.hmb.api.v1.DeductionReceipt;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class EnrolmentRulesTest {
  static final ProductCatalog CATALOG = ProductCatalog.shipped();
  static final EnrolmentRules RULES = new EnrolmentRules(CATALOG);
  static final Product DALIAN_BASIC = CATALOG.get("dalian-2025-basic");
  static final Product DALIAN_UP = CATALOG.get("dalian-2025-upgrade");
  static final Product WUWEI_BASIC = CATALOG.get("wuwei-2025-basic");
  static final Product WUWEI_UP = CATALOG.get("wuwei-2025-upgrade");
  static final Product LIAOCHENG = CATALOG.get("liaocheng-2024");
  static final LocalDate DALIAN_SALE_DAY = LocalDate.of(2025, 10, 15);
  static final LocalDate LIAOCHENG_SALE_DAY = LocalDate.of(2023, 12, 20);

  static Applicant dalianWorker() {
    return Applicant.insured(LocalDate.of(1980, 6, 15), "210200", Scheme.EMPLOYEE);
  }

  static Applicant liaochengWorker() {
    return Applicant.insured(LocalDate.of(1975, 1, 1), "371500", Scheme.EMPLOYEE);
  }

  @Test
  void dalianPremiumsFollowTheAgeBandsOnThePurchaseDay() {
    LocalDate day = DALIAN_SALE_DAY;
    assertThat(EnrolmentRules.premiumFen(DALIAN_BASIC, LocalDate.of(1985, 10, 15), day)).isEqualTo(5900L); // 40 that day
    assertThat(EnrolmentRules.premiumFen(DALIAN_BASIC, LocalDate.of(1984, 10, 15), day)).isEqualTo(8900L); // 41
    assertThat(EnrolmentRules.premiumFen(DALIAN_BASIC, LocalDate.of(1965, 10, 16), day)).isEqualTo(8900L); // 59, 60 tomorrow
    assertThat(EnrolmentRules.premiumFen(DALIAN_BASIC, LocalDate.of(1964, 10, 15), day)).isEqualTo(23900L); // 61
    assertThat(EnrolmentRules.premiumFen(DALIAN_UP, LocalDate.of(1980, 6, 15), day)).isEqualTo(19800L); // the seed's 45-year-old: 198
    assertThat(EnrolmentRules.premiumFen(DALIAN_UP, LocalDate.of(2020, 1, 1), day)).isEqualTo(9800L);
    assertThat(EnrolmentRules.premiumFen(DALIAN_UP, LocalDate.of(1950, 1, 1), day)).isEqualTo(39800L);
  }

  @Test
  void wuweiAndLiaochengPremiumsAreFlat() {
    assertThat(EnrolmentRules.premiumFen(WUWEI_BASIC, LocalDate.of(1950, 1, 1), LocalDate.of(2025, 7, 1))).isEqualTo(6900L);
    assertThat(EnrolmentRules.premiumFen(WUWEI_UP, LocalDate.of(2020, 1, 1), LocalDate.of(2025, 7, 1))).isEqualTo(9900L);
    assertThat(EnrolmentRules.premiumFen(LIAOCHENG, LocalDate.of(1930, 1, 1), LIAOCHENG_SALE_DAY)).isEqualTo(8900L);
  }

  @Test
  void historicProductsAreNotOnSaleAndHaveNoPremium() {
    var d = RULES.check(CATALOG.get("dalian-2024-upgrade"), dalianWorker(), Payer.CASH, DALIAN_SALE_DAY);
    assertThat(d.reason()).isEqualTo(EnrolmentReason.PRODUCT_NOT_ON_SALE);
    assertThatThrownBy(() -> EnrolmentRules.premiumFen(CATALOG.get("dalian-2024-upgrade"), LocalDate.of(1980, 1, 1), DALIAN_SALE_DAY))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no premium table");
  }

  @Test
  void dalianEnrolmentCoversTheFixedYearAndClosesAtTheWindowEnd() {
    var ok = RULES.check(DALIAN_UP, dalianWorker(), Payer.CASH, LocalDate.of(2025, 10, 31));
    assertThat(ok.allowed()).isTrue();
    assertThat(ok.coverageStart()).isEqualTo(LocalDate.of(2025, 11, 1));
    assertThat(ok.coverageEndExclusive()).isEqualTo(LocalDate.of(2026, 11, 1));
    assertThat(ok.premiumFen()).isEqualTo(19800L);
    var late = RULES.check(DALIAN_UP, dalianWorker(), Payer.CASH, LocalDate.of(2025, 11, 1));
    assertThat(late.reason()).isEqualTo(EnrolmentReason.SALES_WINDOW_CLOSED);
    assertThat(late.reason().toProto()).isEqualTo(DeductionReceipt.RejectionReason.REJECTION_REASON_SALES_WINDOW_CLOSED);
  }

  @Test
  void dalianIsBasicXorUpgradeOnePolicyPerYear() {
    var d = RULES.check(DALIAN_UP, dalianWorker().holding("dalian-2025-basic"), Payer.CASH, DALIAN_SALE_DAY);
    assertThat(d.reason()).isEqualTo(EnrolmentReason.ALREADY_ENROLLED);
    assertThat(d.clause()).contains("基础版与升级版二选一");
    assertThat(RULES.check(DALIAN_BASIC, dalianWorker().holding("dalian-2025-upgrade"), Payer.CASH, DALIAN_SALE_DAY).reason())
        .isEqualTo(EnrolmentReason.ALREADY_ENROLLED);
    assertThat(RULES.check(DALIAN_UP, dalianWorker().holding("dalian-2024-upgrade"), Payer.CASH, DALIAN_SALE_DAY).allowed()).isTrue();
    assertThat(RULES.check(WUWEI_UP, wuwei().holding("wuwei-2025-basic"), Payer.CASH, LocalDate.of(2025, 7, 1)).reason())
        .isEqualTo(EnrolmentReason.ALREADY_ENROLLED);
  }

  @Test
  void dalianAcceptsNewResidentsInsuredElsewhereButNotTheUninsuredOrSuspended() {
    var newResident = Applicant.insured(LocalDate.of(1990, 1, 1), "110000", Scheme.EMPLOYEE);
    assertThat(RULES.check(DALIAN_UP, newResident, Payer.CASH, DALIAN_SALE_DAY).allowed()).isTrue();
    assertThat(RULES.check(DALIAN_UP, newResident.withStatus(BasicStatus.NOT_INSURED), Payer.CASH, DALIAN_SALE_DAY).reason())
        .isEqualTo(EnrolmentReason.NOT_INSURED);
    assertThat(RULES.check(DALIAN_UP, dalianWorker().withStatus(BasicStatus.SUSPENDED), Payer.CASH, DALIAN_SALE_DAY).reason())
        .isEqualTo(EnrolmentReason.BASIC_INSURANCE_SUSPENDED);
  }

  @Test
  void dalianPersonalAccountPaysOnlyForTheHolderInsuredInDalian() {
    assertThat(RULES.check(DALIAN_UP, dalianWorker(), Payer.personalAccount(Relation.SELF, "210200"), DALIAN_SALE_DAY).allowed()).isTrue();
    assertThat(RULES.check(DALIAN_UP, dalianWorker(), Payer.personalAccount(Relation.SPOUSE, "210200"), DALIAN_SALE_DAY).reason())
        .isEqualTo(EnrolmentReason.NOT_DIRECT_FAMILY);
    var newResident = Applicant.insured(LocalDate.of(1990, 1, 1), "110000", Scheme.EMPLOYEE);
    assertThat(RULES.check(DALIAN_UP, newResident, Payer.personalAccount(Relation.SELF, "110000"), DALIAN_SALE_DAY).reason())
        .isEqualTo(EnrolmentReason.PAYER_NOT_INSURED_IN_CITY);
    assertThat(RULES.check(DALIAN_UP, dalianWorker(), new Payer(true, Relation.SELF, "210200", false), DALIAN_SALE_DAY).reason())
        .isEqualTo(EnrolmentReason.NO_PERSONAL_ACCOUNT);
  }

  @Test
  void refundOnlyBeforeTheDalianPolicyTakesEffect() {
    LocalDate start = LocalDate.of(2025, 11, 1);
    assertThat(EnrolmentRules.refundAllowed(DALIAN_UP, start, LocalDate.of(2025, 10, 31))).isTrue();
    assertThat(EnrolmentRules.refundAllowed(DALIAN_UP, start, LocalDate.of(2025, 11, 1))).isFalse();
    assertThat(EnrolmentRules.refund(DALIAN_UP, start, LocalDate.of(2025, 11, 2)).reason()).isEqualTo(EnrolmentReason.POLICY_IN_EFFECT);
    // 2025-10-31T16:30Z is 2025-11-01 00:30 in China: already in effect.
    assertThat(EnrolmentRules.refundAllowed(DALIAN_UP, start, ZonedDateTime.of(2025, 10, 31, 16, 30, 0, 0, ZoneId.of("UTC")))).isFalse();
    assertThat(EnrolmentRules.refundAllowed(DALIAN_UP, start, ZonedDateTime.of(2025, 10, 31, 15, 59, 0, 0, ZoneId.of("UTC")))).isTrue();
    assertThat(EnrolmentRules.refund(LIAOCHENG, LocalDate.of(2024, 1, 1), LocalDate.of(2023, 12, 1)).reason())
        .isEqualTo(EnrolmentReason.REFUND_NOT_OFFERED);
  }

  @Test
  void liaochengFamilyMayBePaidForFromAWorkersAccount() {
    var spouse = Applicant.insured(LocalDate.of(1977, 3, 3), "371500", Scheme.RESIDENT);
    for (Relation r : new Relation[] {Relation.SELF, Relation.SPOUSE, Relation.CHILD, Relation.PARENT, Relation.PARENT_IN_LAW}) {
      assertThat(RULES.check(LIAOCHENG, spouse, Payer.personalAccount(r, "371500"), LIAOCHENG_SALE_DAY).allowed()).as(r.name()).isTrue();
    }
    var d = RULES.check(LIAOCHENG, spouse, Payer.personalAccount(Relation.OTHER, "371500"), LIAOCHENG_SALE_DAY);
    assertThat(d.reason()).isEqualTo(EnrolmentReason.NOT_DIRECT_FAMILY);
    assertThat(d.reason().toProto()).isEqualTo(DeductionReceipt.RejectionReason.REJECTION_REASON_NOT_DIRECT_FAMILY);
    var jinanParent = Applicant.insured(LocalDate.of(1950, 3, 3), "370100", Scheme.RESIDENT);
    assertThat(RULES.check(LIAOCHENG, jinanParent, Payer.personalAccount(Relation.PARENT, "371500"), LIAOCHENG_SALE_DAY).reason())
        .isEqualTo(EnrolmentReason.NOT_INSURED_IN_CITY);
    assertThat(RULES.check(LIAOCHENG, liaochengWorker(), Payer.personalAccount(Relation.SELF, "370100"), LIAOCHENG_SALE_DAY).reason())
        .isEqualTo(EnrolmentReason.PAYER_NOT_INSURED_IN_CITY);
  }

  @Test
  void liaochengSalesCloseAtYearEndButVeteransJoinAnyDayOf2024() {
    assertThat(RULES.check(LIAOCHENG, liaochengWorker(), Payer.CASH, LocalDate.of(2023, 12, 31)).allowed()).isTrue();
    assertThat(RULES.check(LIAOCHENG, liaochengWorker(), Payer.CASH, LocalDate.of(2024, 1, 1)).reason())
        .isEqualTo(EnrolmentReason.SALES_WINDOW_CLOSED);
    LocalDate joins = LocalDate.of(2024, 8, 8);
    var veteran = liaochengWorker().veteranJoining(joins);
    var d = RULES.check(LIAOCHENG, veteran, Payer.CASH, joins);
    assertThat(d.allowed()).isTrue();
    assertThat(d.coverageStart()).isEqualTo(joins);
    assertThat(d.coverageEndExclusive()).isEqualTo(LocalDate.of(2025, 1, 1));
    assertThat(d.premiumFen()).isEqualTo(8900L);
    assertThat(RULES.check(LIAOCHENG, liaochengWorker().veteranJoining(LocalDate.of(2025, 1, 1)), Payer.CASH, LocalDate.of(2025, 1, 1)).reason())
        .isEqualTo(EnrolmentReason.SALES_WINDOW_CLOSED);
    assertThat(RULES.check(DALIAN_UP, dalianWorker().veteranJoining(LocalDate.of(2025, 12, 1)), Payer.CASH, LocalDate.of(2025, 12, 1)).reason())
        .isEqualTo(EnrolmentReason.SALES_WINDOW_CLOSED);
  }

  @Test
  void liaochengNewbornsOfTwoInsuredParentsAreCoveredFromBirth() {
    var d = EnrolmentRules.newbornCover(LIAOCHENG, LocalDate.of(2024, 3, 5), true);
    assertThat(d.allowed()).isTrue();
    assertThat(d.coverageStart()).isEqualTo(LocalDate.of(2024, 3, 5));
    assertThat(d.premiumFen()).isZero();
    assertThat(EnrolmentRules.newbornCover(LIAOCHENG, LocalDate.of(2024, 3, 5), false).reason())
        .isEqualTo(EnrolmentReason.NEWBORN_PARENTS_NOT_BOTH_ENROLLED);
    assertThat(EnrolmentRules.newbornCover(LIAOCHENG, LocalDate.of(2023, 12, 31), true).reason())
        .isEqualTo(EnrolmentReason.BORN_OUTSIDE_PERIOD);
    assertThat(EnrolmentRules.newbornCover(DALIAN_UP, LocalDate.of(2025, 12, 1), true).reason())
        .isEqualTo(EnrolmentReason.NOT_A_NEWBORN_PRODUCT);
  }

  @Test
  void wuweiCoverStartsOnTheEnrolmentDayOnlyForWuweiInsuredAndNotFromAccounts() {
    LocalDate day = LocalDate.of(2025, 9, 9);
    var d = RULES.check(WUWEI_UP, wuwei(), Payer.CASH, day);
    assertThat(d.coverageStart()).isEqualTo(day);
    assertThat(d.coverageEndExclusive()).isEqualTo(LocalDate.of(2026, 9, 9));
    assertThat(d.premiumFen()).isEqualTo(9900L);
    assertThat(RULES.check(WUWEI_UP, Applicant.insured(LocalDate.of(1970, 1, 1), "620100", Scheme.RESIDENT), Payer.CASH, day).reason())
        .isEqualTo(EnrolmentReason.NOT_INSURED_IN_CITY);
    assertThat(RULES.check(WUWEI_UP, wuwei(), Payer.personalAccount(Relation.SELF, "620600"), day).reason())
        .isEqualTo(EnrolmentReason.PERSONAL_ACCOUNT_NOT_OFFERED);
    assertThat(RULES.check(WUWEI_UP, wuwei(), Payer.CASH, LocalDate.of(2025, 5, 26)).reason())
        .isEqualTo(EnrolmentReason.SALES_WINDOW_CLOSED);
  }

  @Test
  void coverIsSuspendedWithBasicInsuranceAndEndsWithThePeriod() {
    LocalDate start = LocalDate.of(2024, 1, 1);
    assertThat(EnrolmentRules.coverageOn(LIAOCHENG, start, BasicStatus.ACTIVE, LocalDate.of(2024, 6, 1)).allowed()).isTrue();
    assertThat(EnrolmentRules.coverageOn(LIAOCHENG, start, BasicStatus.SUSPENDED, LocalDate.of(2024, 6, 1)).reason())
        .isEqualTo(EnrolmentReason.BASIC_INSURANCE_SUSPENDED);
    assertThat(EnrolmentRules.coverageOn(LIAOCHENG, start, BasicStatus.ACTIVE, LocalDate.of(2025, 1, 1)).reason())
        .isEqualTo(EnrolmentReason.OUTSIDE_PERIOD);
  }

  static Applicant wuwei() {
    return Applicant.insured(LocalDate.of(1975, 9, 1), "620600", Scheme.RESIDENT);
  }
}
