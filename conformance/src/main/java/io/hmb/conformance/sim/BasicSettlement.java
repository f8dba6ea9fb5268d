package io.hmb.conformance.sim;

import static io.hmb.adapters.engine.Money.yuan;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hmb.adapters.engine.Claim;
import io.hmb.adapters.engine.Costs;
import io.hmb.adapters.engine.Insured;
import io.hmb.adapters.engine.Money;
import io.hmb.adapters.engine.PolicyYearLedger;
import io.hmb.adapters.engine.Product;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.ProductTerms;
import io.hmb.adapters.engine.Scheme;
import io.hmb.adapters.mapping.MappingContext;
import io.hmb.adapters.mapping.NationalSettlementMapper;
import io.hmb.api.v1.SettlementData;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * The bureau's basic settlement of a bill, a hospital stay or a drug purchase (基本医保 -> 大病保险),
 * producing the national platform's setlinfo and, through adapters' {@link NationalSettlementMapper}, the
 * SettlementData the insurer reads.
 *
 * <p><b>A simulated model, not a city's real rules.</b> Basic pool (统筹): per bill, the in-scope amount
 * above a deductible (起付线: employee 800 yuan, resident 1,000 yuan) is paid at 85% (employee) or 65%
 * (resident), half-up to the fen; no pool cap. 大病 (critical illness): for stays of Dalian-insured people
 * in the resident scheme it is adapters' {@code dalian-resident-critical-illness} product (seed 001) run
 * on a per-person calendar-year ledger, with the prior year's per-capita disposable income as a parameter;
 * its outpatient high-value drug clause (第十四条) is not modelled, so it pays nothing on a drug. The seeds
 * give no 大病 rules for Wuwei or Liaocheng, and none for employees, so those pay 0 there. Employee
 * large-amount subsidy and medical assistance are not modelled. Not thread-safe on its own: the bureau
 * serialises settlements.
 */
final class BasicSettlement {
  /** Illustrative figure for the 大病 threshold (50% of it): 48,000 yuan. Not an official statistic. */
  static final long DEFAULT_PRIOR_YEAR_INCOME_FEN = 4_800_000;
  static final long EMPLOYEE_POOL_DEDUCTIBLE_FEN = 80_000;
  static final long RESIDENT_POOL_DEDUCTIBLE_FEN = 100_000;
  static final int EMPLOYEE_POOL_RATIO_BP = 8_500;
  static final int RESIDENT_POOL_RATIO_BP = 6_500;
  private static final String CRITICAL_ILLNESS = "dalian-resident-critical-illness";
  private static final DateTimeFormatter SETL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** One bill after basic settlement: the public layers and what is left to the person, fen. */
  record Result(String settlementId, String visitId, long totalFen, long poolDeductibleFen, long poolPayFen,
      long criticalIllnessPayFen, long personPartFen, ObjectNode setlinfo) {
    long publicPaidFen() {
      return poolPayFen + criticalIllnessPayFen;
    }
  }

  private final String city;
  private final ProductCatalog catalog;
  private final ProductTerms criticalIllness;
  private final Map<String, PolicyYearLedger> criticalIllnessYears = new HashMap<>();

  BasicSettlement(String city, ProductCatalog catalog, long priorYearIncomeFen) {
    this.city = city;
    this.catalog = catalog;
    this.criticalIllness = ProductTerms.of(catalog.get(CRITICAL_ILLNESS),
        Map.of("prior_year_disposable_income_fen", priorYearIncomeFen));
  }

  Result settle(Resident patient, Bill bill, String settlementId, String visitId) {
    boolean employee = patient.scheme() == Scheme.EMPLOYEE;
    long deductible = Math.min(bill.inScopeFen(), employee ? EMPLOYEE_POOL_DEDUCTIBLE_FEN : RESIDENT_POOL_DEDUCTIBLE_FEN);
    long pool = Money.applyBpHalfUp(bill.inScopeFen() - deductible, employee ? EMPLOYEE_POOL_RATIO_BP : RESIDENT_POOL_RATIO_BP);
    long criticalIllnessPay = criticalIllness(patient, bill, settlementId, pool);
    long total = bill.totalFen();
    long personPart = total - pool - criticalIllnessPay;

    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("mdtrt_id", visitId).put("setl_id", settlementId).put("psn_no", patient.personNumber())
        .put("psn_cert_type", "01").put("certno", patient.certNumber())
        .put("insutype", employee ? "310" : "390").put("clr_type", bill.clearingType())
        .put("fixmedins_code", bill.institutionCode())
        .put("setl_time", bill.settlementDate().atTime(10, 0).format(SETL_TIME))
        .put("medfee_sumamt", yuan(total)).put("fulamt_ownpay_amt", yuan(bill.outOfCatalogueFen()))
        .put("overlmt_selfpay", yuan(bill.overLimitFen())).put("preselfpay_amt", yuan(bill.classBPriorSelfpayFen()))
        .put("inscp_scp_amt", yuan(bill.inScopeFen())).put("act_pay_dedc", yuan(deductible))
        .put("hifp_pay", yuan(pool)).put("hifmi_pay", yuan(criticalIllnessPay))
        .put("fund_pay_sumamt", yuan(pool + criticalIllnessPay)).put("psn_part_amt", yuan(personPart))
        .put("acct_pay", "0").put("psn_cash_pay", yuan(personPart));
    return new Result(settlementId, visitId, total, deductible, pool, criticalIllnessPay, personPart, s);
  }

  /**
   * The settlement result as the product's insurer reads it (fails when the day is outside its policy year).
   * The bureau states the bill's care type, as it knows what it settled: a pharmacy's clr_type 41 alone does
   * not tell a listed drug from another purchase.
   */
  SettlementData toSettlementData(Result r, Resident patient, Bill bill, String productCode, LocalDate policyStart) {
    Product product = catalog.get(productCode);
    MappingContext ctx = new MappingContext(bill.treatmentAdmdvs(), patient.insuredCity(), bill.outOfAreaFiled(), 0,
        bill.careType(), policyStart);
    SettlementData.Builder data = NationalSettlementMapper.map(product, r.setlinfo(), ctx).toBuilder();
    if (bill.stay()) {
      data.setAdmissionDate(ProtoDates.date(bill.admissionDate())).setDischargeDate(ProtoDates.date(bill.settlementDate()));
    }
    bill.drug().ifPresent(data::setDrugCode);
    bill.pharmacy().ifPresent(data::setPharmacyCode);
    return data.build();
  }

  private long criticalIllness(Resident patient, Bill bill, String settlementId, long pool) {
    if (!bill.stay() || !city.equals(CityProfile.DALIAN) || !city.equals(patient.insuredCity())
        || patient.scheme() != Scheme.RESIDENT) {
      return 0;
    }
    Insured insured = new Insured(patient.birthDate(), patient.insuredCity(), patient.scheme(), false, patient.assistance(),
        null, null);
    String year = patient.certNumber() + "/" + bill.settlementDate().getYear();
    PolicyYearLedger ledger = criticalIllnessYears.computeIfAbsent(year,
        k -> PolicyYearLedger.open(criticalIllness, insured, bill.settlementDate()));
    Costs costs = new Costs(bill.totalFen(), pool, bill.inScopeFen() - pool, bill.classBPriorSelfpayFen(),
        bill.outOfCatalogueFen(), 0, bill.overLimitFen());
    Claim claim = Claim.builder(settlementId, bill.settlementDate(), bill.careType(), bill.treatmentAdmdvs(), costs)
        .outOfAreaFiled(bill.outOfAreaFiled()).build();
    return ledger.submit(claim).payoutFen();
  }
}
