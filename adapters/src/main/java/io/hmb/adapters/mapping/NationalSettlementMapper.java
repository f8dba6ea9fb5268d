package io.hmb.adapters.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import io.hmb.adapters.engine.Bucket;
import io.hmb.adapters.engine.ClaimType;
import io.hmb.adapters.engine.PolicyPeriod;
import io.hmb.adapters.engine.Product;
import io.hmb.adapters.engine.Claim;
import io.hmb.api.Admdvs;
import io.hmb.api.v1.CareType;
import io.hmb.api.v1.CostBuckets;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.SettlementData;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * National-platform settlement results (setlinfo, decimal yuan) to {@code hmb.v1.SettlementData} (fen),
 * including the {@link CostBuckets} the product rules read, following the product's city mapping.
 *
 * <p>Buckets: public = fund_pay_sumamt; class-B prior self-pay = preselfpay_amt; out-of-catalogue =
 * fulamt_ownpay_amt less product exclusions; over-limit self-pay goes where the product file says;
 * in-scope co-pay = psn_part_amt less every self-pay part. Which liability reads which bucket (Dalian
 * counts class-B prior self-pay as in-catalogue co-pay, Liaocheng as out-of-scope) is in the product file.
 */
public final class NationalSettlementMapper {
  static final DateTimeFormatter SETL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  static final Set<String> CLEARING_CODES = Set.of("11", "21", "41", "99");

  private NationalSettlementMapper() {}

  public static SettlementData map(Product product, JsonNode setlinfo, MappingContext ctx) {
    if (setlinfo == null || !setlinfo.isObject()) {
      throw new SettlementFieldException(SettlementFieldException.Reason.MISSING_FIELD, "setlinfo", "must be an object");
    }
    String insutype = text(setlinfo, "insutype", true);
    if (!insutype.equals("310") && !insutype.equals("390")) {
      throw new SettlementFieldException(SettlementFieldException.Reason.UNKNOWN_CODE, "insutype",
          "\"" + insutype + "\" is neither 310 (employee basic) nor 390 (resident basic)");
    }
    String clr = text(setlinfo, "clr_type", true);
    if (!CLEARING_CODES.contains(clr)) {
      throw new SettlementFieldException(SettlementFieldException.Reason.UNKNOWN_CODE, "clr_type", "\"" + clr + "\" is not a platform clearing type");
    }
    ClaimType type = ctx.careType() != null ? ctx.careType() : product.mapping().clearingTypes().value().get(clr);
    if (type == null) {
      throw new SettlementFieldException(SettlementFieldException.Reason.UNKNOWN_CODE, "clr_type",
          "\"" + clr + "\" has no claim type in " + product.code());
    }
    admdvs("mdtrtarea_admvs", ctx.treatmentAdmdvs());
    admdvs("insuplc_admdvs", ctx.insuredAdmdvs());

    LocalDateTime settled = settleTime(text(setlinfo, "setl_time", true));
    LocalDate day = settled.toLocalDate();
    PolicyPeriod.Span span;
    try {
      span = product.period().value().spanFor(ctx.policyStart(), day);
    } catch (io.hmb.adapters.engine.ClaimInputException e) {
      throw new SettlementFieldException(SettlementFieldException.Reason.MISSING_FIELD, "policy_start", e.getMessage());
    }
    if (!span.contains(day)) {
      throw new SettlementFieldException(SettlementFieldException.Reason.DATE_OUTSIDE_POLICY, "setl_time",
          day + " is outside " + product.code() + " [" + span.start() + ", " + span.endExclusive() + ")");
    }

    long total = amount(setlinfo, "medfee_sumamt", true);
    long fulamt = amount(setlinfo, "fulamt_ownpay_amt", true);
    long overLimit = amount(setlinfo, "overlmt_selfpay", true);
    long prior = amount(setlinfo, "preselfpay_amt", true);
    long inscope = amount(setlinfo, "inscp_scp_amt", true);
    long fundTotal = amount(setlinfo, "fund_pay_sumamt", true);
    long personPart = amount(setlinfo, "psn_part_amt", true);
    long dedc = amount(setlinfo, "act_pay_dedc", false);
    long hifp = amount(setlinfo, "hifp_pay", false);
    long cvlserv = amount(setlinfo, "cvlserv_pay", false);
    long hifes = amount(setlinfo, "hifes_pay", false);
    long hifmi = amount(setlinfo, "hifmi_pay", false);
    long hifob = amount(setlinfo, "hifob_pay", false);
    long maf = amount(setlinfo, "maf_pay", false);
    long oth = amount(setlinfo, "oth_pay", false);
    long acct = amount(setlinfo, "acct_pay", false);
    long cash = amount(setlinfo, "psn_cash_pay", false);
    long mulaid = amount(setlinfo, "acct_mulaid_pay", false);

    long funds = hifp + cvlserv + hifes + hifmi + hifob + maf + oth;
    if (funds != fundTotal) {
      throw new SettlementFieldException(SettlementFieldException.Reason.FUNDS_DO_NOT_ADD_UP, "fund_pay_sumamt",
          "fund parts add up to " + funds + " fen, fund_pay_sumamt is " + fundTotal + " fen");
    }
    if (fundTotal + personPart != total) {
      throw new SettlementFieldException(SettlementFieldException.Reason.TOTAL_DOES_NOT_ADD_UP, "medfee_sumamt",
          "fund_pay_sumamt + psn_part_amt = " + (fundTotal + personPart) + " fen, medfee_sumamt is " + total + " fen");
    }
    long selfPay = prior + fulamt + overLimit;
    if (selfPay > personPart) {
      throw new SettlementFieldException(SettlementFieldException.Reason.SELFPAY_EXCEEDS_PERSON_PART, "psn_part_amt",
          "preselfpay_amt + fulamt_ownpay_amt + overlmt_selfpay = " + selfPay + " fen > psn_part_amt " + personPart + " fen");
    }
    if (ctx.excludedFen() < 0 || ctx.excludedFen() > fulamt) {
      throw new SettlementFieldException(SettlementFieldException.Reason.EXCLUDED_EXCEEDS_OUT_OF_CATALOGUE, "excluded",
          "excluded " + ctx.excludedFen() + " fen must be between 0 and fulamt_ownpay_amt " + fulamt + " fen");
    }

    long[] b = new long[Bucket.values().length];
    b[Bucket.INSCOPE_COPAY.ordinal()] = personPart - selfPay;
    b[Bucket.CLASS_B_PRIOR_SELFPAY.ordinal()] = prior;
    b[Bucket.OUT_OF_CATALOGUE.ordinal()] = fulamt - ctx.excludedFen();
    b[product.mapping().overLimitSelfpay().value().ordinal()] += overLimit;
    CostBuckets buckets = CostBuckets.newBuilder().setTotalFen(total).setPublicPaidFen(fundTotal)
        .setInscopeCopayFen(b[Bucket.INSCOPE_COPAY.ordinal()])
        .setClassBPriorSelfpayFen(b[Bucket.CLASS_B_PRIOR_SELFPAY.ordinal()])
        .setOutOfCatalogueFen(b[Bucket.OUT_OF_CATALOGUE.ordinal()]).setExcludedFen(ctx.excludedFen())
        .setOtherSelfpayFen(b[Bucket.OTHER_SELFPAY.ordinal()]).build();

    Person.Builder person = Person.newBuilder();
    if (setlinfo.hasNonNull("psn_no")) person.setPersonNumber(setlinfo.get("psn_no").asText());
    if (setlinfo.hasNonNull("psn_cert_type")) person.setCertType(setlinfo.get("psn_cert_type").asText());
    if (setlinfo.hasNonNull("certno")) person.setCertNumber(setlinfo.get("certno").asText());
    var instant = settled.atZone(PolicyPeriod.CST).toInstant();
    return SettlementData.newBuilder().setVisitId(text(setlinfo, "mdtrt_id", true))
        .setSettlementId(text(setlinfo, "setl_id", true)).setPerson(person).setInsuranceType(insutype)
        .setPersonType(setlinfo.hasNonNull("psn_type") ? setlinfo.get("psn_type").asText() : "")
        .setSettleTime(Timestamp.newBuilder().setSeconds(instant.getEpochSecond()))
        .setClearingType(clr).setCareType(CareType.valueOf("CARE_TYPE_" + type.name()))
        .setInstitutionCode(setlinfo.hasNonNull("fixmedins_code") ? setlinfo.get("fixmedins_code").asText() : "")
        .setTreatmentAdmdvs(ctx.treatmentAdmdvs()).setInsuredAdmdvs(ctx.insuredAdmdvs())
        .setOutOfAreaFiled(ctx.outOfAreaFiled())
        .setMedicalFeeTotalFen(total).setFullOwnpayFen(fulamt).setOverLimitSelfpayFen(overLimit).setPriorSelfpayFen(prior)
        .setInscopeFen(inscope).setDeductibleAppliedFen(dedc).setPoolFundPayFen(hifp).setCivilServantPayFen(cvlserv)
        .setEmployerSupplementaryPayFen(hifes).setCriticalIllnessPayFen(hifmi).setLargeAmountSubsidyPayFen(hifob)
        .setMedicalAssistancePayFen(maf).setOtherFundPayFen(oth).setFundPayTotalFen(fundTotal).setPersonPartFen(personPart)
        .setAccountPayFen(acct).setCashPayFen(cash).setFamilyMutualAidPayFen(mulaid).setBuckets(buckets).build();
  }

  /**
   * Item facts from the platform's fee details (feedetail lines, 2301 / 5204): 丙类 = Σ fulamt_ownpay_amt of
   * lines with chrgitm_lv "03" that carry a hilist_code (matched to the basic catalogue); listed out-of-catalogue
   * = Σ fulamt_ownpay_amt of lines whose hilist_code or med_list_codg is on {@code bureauList} (such a line
   * counts there, never also as 丙类); drug on list = some line's code is on {@code drugList}. The platform
   * carries no list flag of a 惠民保 list, so the lists are the caller's (the bureau's compiled 目录外 list,
   * the insurer's published drug list); null list = not known = the fact stays not shown. Brand (商品名) and
   * manufacturer are not detail fields: they stay not shown unless the insurer's review supplies them.
   */
  public static Claim.Items itemFacts(JsonNode feedetail, Set<String> bureauList, Set<String> drugList) {
    if (feedetail == null || feedetail.isNull()) return Claim.Items.NONE;
    if (!feedetail.isArray()) {
      throw new SettlementFieldException(SettlementFieldException.Reason.MISSING_FIELD, "feedetail", "must be an array");
    }
    long classC = 0;
    long listed = 0;
    boolean drugOnList = false;
    for (JsonNode line : feedetail) {
      long own = amount(line, "fulamt_ownpay_amt", false);
      String hilist = text(line, "hilist_code", false);
      String medList = text(line, "med_list_codg", false);
      boolean onBureauList = onList(bureauList, hilist, medList);
      if (onBureauList) listed += own;
      else if ("03".equals(text(line, "chrgitm_lv", false)) && hilist != null) classC += own;
      if (onList(drugList, hilist, medList)) drugOnList = true;
    }
    return new Claim.Items(classC, bureauList == null ? null : listed, drugList == null ? null : drugOnList, null, null);
  }

  /** Null-safe: immutable sets refuse to look up null, and a line may lack either code. */
  private static boolean onList(Set<String> list, String hilist, String medList) {
    return list != null && ((hilist != null && list.contains(hilist)) || (medList != null && list.contains(medList)));
  }

  private static void admdvs(String field, String code) {
    if (!Admdvs.isWellFormed(code)) {
      throw new SettlementFieldException(SettlementFieldException.Reason.UNKNOWN_CODE, field, "must be six digits, was " + code);
    }
  }

  private static LocalDateTime settleTime(String text) {
    try {
      return LocalDateTime.parse(text, SETL_TIME);
    } catch (DateTimeParseException e) {
      throw new SettlementFieldException(SettlementFieldException.Reason.BAD_DATE, "setl_time",
          "must be yyyy-MM-dd HH:mm:ss (CST), was \"" + text + "\"");
    }
  }

  private static String text(JsonNode n, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      if (required) throw new SettlementFieldException(SettlementFieldException.Reason.MISSING_FIELD, field, "is required");
      return null;
    }
    return v.asText().trim();
  }

  /** Amounts may arrive as JSON strings or numbers; numbers are read from their literal text, never as doubles. */
  private static long amount(JsonNode n, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) throw new SettlementFieldException(SettlementFieldException.Reason.MISSING_FIELD, field, "is required");
      return 0;
    }
    if (v.isNumber()) return YuanAmounts.toFen(field, v.decimalValue().toPlainString());
    if (!v.isTextual()) {
      throw new SettlementFieldException(SettlementFieldException.Reason.NOT_A_DECIMAL, field, "must be a decimal string");
    }
    return YuanAmounts.toFen(field, v.asText());
  }
}
