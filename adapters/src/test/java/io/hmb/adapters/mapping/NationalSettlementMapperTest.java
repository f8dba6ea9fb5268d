package io.hmb.adapters.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hmb.adapters.engine.ClaimType;
import io.hmb.adapters.engine.Insured;
import io.hmb.adapters.engine.PolicyYearLedger;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.ProductTerms;
import io.hmb.adapters.engine.Scheme;
import io.hmb.api.v1.CareType;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class NationalSettlementMapperTest {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  static final ProductCatalog CATALOG = ProductCatalog.shipped();

  /** The seed's worked bill as the platform would send it: 10万 total, 6万 pool, 1万/1万/2万 person. */
  static ObjectNode workedBill() throws Exception {
    return (ObjectNode) JSON.readTree("""
        {"mdtrt_id": "M1", "setl_id": "S1", "psn_no": "P1", "insutype": "310", "psn_type": "11",
         "setl_time": "2025-12-10 16:20:00", "clr_type": "21", "fixmedins_code": "H21020000001",
         "medfee_sumamt": "100000.00", "fulamt_ownpay_amt": "20000.00", "overlmt_selfpay": "0.00",
         "preselfpay_amt": "10000.00", "inscp_scp_amt": "70000.00", "act_pay_dedc": "1000.00",
         "hifp_pay": "60000.00", "fund_pay_sumamt": "60000.00", "psn_part_amt": "40000.00",
         "acct_pay": "5000.00", "psn_cash_pay": "35000.00"}""");
  }

  @Test
  void workedBillMapsToTheBucketsAndPaysTheSeedsFigure() throws Exception {
    var product = CATALOG.get("dalian-2025-upgrade");
    var data = NationalSettlementMapper.map(product, workedBill(), MappingContext.of("210200", "210200"));
    var b = data.getBuckets();
    assertThat(b.getTotalFen()).isEqualTo(10_000_000L);
    assertThat(b.getPublicPaidFen()).isEqualTo(6_000_000L);
    assertThat(b.getInscopeCopayFen()).isEqualTo(1_000_000L);
    assertThat(b.getClassBPriorSelfpayFen()).isEqualTo(1_000_000L);
    assertThat(b.getOutOfCatalogueFen()).isEqualTo(2_000_000L);
    assertThat(data.getCareType()).isEqualTo(CareType.CARE_TYPE_INPATIENT);
    assertThat(data.getPoolFundPayFen()).isEqualTo(6_000_000L);

    var claim = SettlementClaims.toClaim(data, SettlementClaims.ReviewFacts.NONE);
    assertThat(claim.date()).isEqualTo(LocalDate.of(2025, 12, 10));
    var insured = new Insured(LocalDate.of(1980, 6, 15), "210200", Scheme.EMPLOYEE, false,
        io.hmb.adapters.engine.Assistance.NONE, null, null);
    var ledger = PolicyYearLedger.open(ProductTerms.of(product), insured, claim.date());
    assertThat(ledger.submit(claim).payoutFen()).isEqualTo(1_680_000L);
  }

  @Test
  void overLimitSelfPayGoesWhereTheCitySays() throws Exception {
    ObjectNode bill = workedBill();
    bill.put("overlmt_selfpay", "500.00").put("psn_part_amt", "40000.00");
    var dalian = NationalSettlementMapper.map(CATALOG.get("dalian-2025-upgrade"), bill, MappingContext.of("210200", "210200"));
    assertThat(dalian.getBuckets().getOutOfCatalogueFen()).isEqualTo(2_050_000L);
    assertThat(dalian.getBuckets().getInscopeCopayFen()).isEqualTo(950_000L);
    bill.put("setl_time", "2024-05-01 10:00:00");
    var liaocheng = NationalSettlementMapper.map(CATALOG.get("liaocheng-2024"), bill, MappingContext.of("371500", "371500"));
    assertThat(liaocheng.getBuckets().getOutOfCatalogueFen()).isEqualTo(2_050_000L);
    var ci = NationalSettlementMapper.map(CATALOG.get("dalian-resident-critical-illness"), bill.put("insutype", "390"),
        MappingContext.of("210200", "210200"));
    assertThat(ci.getBuckets().getOtherSelfpayFen()).isEqualTo(50_000L);
    assertThat(ci.getBuckets().getOutOfCatalogueFen()).isEqualTo(2_000_000L);
  }

  @Test
  void exclusionsComeOutOfOutOfCatalogueAndCareTypeCanBeStated() throws Exception {
    var ctx = new MappingContext("210200", "210200", false, 300_000L, ClaimType.DAY_WARD, null);
    var data = NationalSettlementMapper.map(CATALOG.get("dalian-2025-upgrade"), workedBill(), ctx);
    assertThat(data.getBuckets().getExcludedFen()).isEqualTo(300_000L);
    assertThat(data.getBuckets().getOutOfCatalogueFen()).isEqualTo(1_700_000L);
    assertThat(data.getCareType()).isEqualTo(CareType.CARE_TYPE_DAY_WARD);
  }

  @Test
  void numbersAreReadFromTheirTextNeverAsDoubles() throws Exception {
    ObjectNode bill = workedBill();
    bill.set("fulamt_ownpay_amt", JSON.readTree("20000.10"));
    bill.put("medfee_sumamt", "100000.1").put("psn_part_amt", "40000.10");
    var data = NationalSettlementMapper.map(CATALOG.get("dalian-2025-upgrade"), bill, MappingContext.of("210200", "210200"));
    assertThat(data.getFullOwnpayFen()).isEqualTo(2_000_010L);
    assertThat(data.getMedicalFeeTotalFen()).isEqualTo(10_000_010L);
  }

  @Test
  void badAmountsAreRefusedWithReasonAndField() {
    assertRefused(b -> b.put("fulamt_ownpay_amt", "-1.00"), SettlementFieldException.Reason.NEGATIVE_AMOUNT, "fulamt_ownpay_amt");
    assertRefused(b -> b.put("fulamt_ownpay_amt", "20000.001"), SettlementFieldException.Reason.TOO_MANY_DECIMALS, "fulamt_ownpay_amt");
    assertRefused(b -> b.put("fulamt_ownpay_amt", "2e4"), SettlementFieldException.Reason.NOT_A_DECIMAL, "fulamt_ownpay_amt");
    assertRefused(b -> b.put("medfee_sumamt", "123456789012345.00"), SettlementFieldException.Reason.AMOUNT_TOO_LARGE, "medfee_sumamt");
    assertRefused(b -> b.remove("preselfpay_amt"), SettlementFieldException.Reason.MISSING_FIELD, "preselfpay_amt");
    assertRefused(b -> b.put("medfee_sumamt", "100000.01"), SettlementFieldException.Reason.TOTAL_DOES_NOT_ADD_UP, "medfee_sumamt");
    assertRefused(b -> b.put("hifp_pay", "59000.00"), SettlementFieldException.Reason.FUNDS_DO_NOT_ADD_UP, "fund_pay_sumamt");
    assertRefused(b -> b.put("preselfpay_amt", "30000.00"), SettlementFieldException.Reason.SELFPAY_EXCEEDS_PERSON_PART, "psn_part_amt");
  }

  @Test
  void unknownCodesAndDatesOutsideThePolicyAreRefused() {
    assertRefused(b -> b.put("insutype", "340"), SettlementFieldException.Reason.UNKNOWN_CODE, "insutype");
    assertRefused(b -> b.put("clr_type", "77"), SettlementFieldException.Reason.UNKNOWN_CODE, "clr_type");
    assertRefused(b -> b.put("clr_type", "11"), SettlementFieldException.Reason.UNKNOWN_CODE, "clr_type");
    assertRefused(b -> b.put("setl_time", "2025-10-31 23:59:59"), SettlementFieldException.Reason.DATE_OUTSIDE_POLICY, "setl_time");
    assertRefused(b -> b.put("setl_time", "2026-11-01 00:00:00"), SettlementFieldException.Reason.DATE_OUTSIDE_POLICY, "setl_time");
    assertRefused(b -> b.put("setl_time", "2025/12/10"), SettlementFieldException.Reason.BAD_DATE, "setl_time");
  }

  @Test
  void excludedAmountAboveOutOfCatalogueIsRefused() {
    var ctx = new MappingContext("210200", "210200", false, 2_000_001L, null, null);
    assertThatThrownBy(() -> NationalSettlementMapper.map(CATALOG.get("dalian-2025-upgrade"), workedBill(), ctx))
        .isInstanceOfSatisfying(SettlementFieldException.class, e -> {
          assertThat(e.reason()).isEqualTo(SettlementFieldException.Reason.EXCLUDED_EXCEEDS_OUT_OF_CATALOGUE);
          assertThat(e.field()).isEqualTo("excluded");
        });
  }

  @Test
  void yuanToFenIsExact() {
    assertThat(YuanAmounts.toFen("f", "0")).isZero();
    assertThat(YuanAmounts.toFen("f", "0.1")).isEqualTo(10L);
    assertThat(YuanAmounts.toFen("f", "12.34")).isEqualTo(1234L);
    assertThat(YuanAmounts.toFen("f", "99999999.99")).isEqualTo(9_999_999_999L);
  }

  private static void assertRefused(java.util.function.Consumer<ObjectNode> breakIt, SettlementFieldException.Reason reason, String field) {
    assertThatThrownBy(() -> {
      ObjectNode bill = workedBill();
      breakIt.accept(bill);
      NationalSettlementMapper.map(CATALOG.get("dalian-2025-upgrade"), bill, MappingContext.of("210200", "210200"));
    }).isInstanceOfSatisfying(SettlementFieldException.class, e -> {
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.field()).isEqualTo(field);
    });
  }
}
