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
import io.hmb.security.mask.ResidentIdNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
  /** insutype codes the products know (national-platform.md): 310 employee basic, 390 resident basic. */
  static final Set<String> INSURANCE_TYPES = Set.of("310", "390");
  /** psn_cert_type of the resident identity card (居民身份证), whose certno has a check character. */
  static final String RESIDENT_ID_CARD = "01";

  private NationalSettlementMapper() {}

  /** Strict: the mapped settlement, or the first blocking problem as a {@link SettlementFieldException}. */
  public static SettlementData map(Product product, JsonNode setlinfo, MappingContext ctx) {
    SetlinfoMapping m = report(product, setlinfo, ctx, "", SetlinfoOptions.DEFAULT);
    for (FieldProblem p : m.problems()) {
      if (p.blocking()) throw p.toException();
    }
    return m.data().orElseThrow();
  }

  /**
   * Every check, each problem collected rather than thrown ({@link SetlinfoMapping#of} for a posted document).
   * A check whose inputs have problems of their own is skipped, so each problem is named once, where it is.
   */
  static SetlinfoMapping report(Product product, JsonNode setlinfo, MappingContext ctx, String prefix,
      SetlinfoOptions options) {
    List<FieldProblem> problems = new ArrayList<>();
    if (setlinfo == null || !setlinfo.isObject()) {
      problems.add(new FieldProblem(prefix.isEmpty() ? "setlinfo" : prefix.substring(0, prefix.length() - 1),
          SettlementFieldException.Reason.MISSING_FIELD, "must be an object", ShownValues.shape(setlinfo), true));
      return new SetlinfoMapping(Optional.empty(), problems);
    }
    FieldReader in = new FieldReader(setlinfo, prefix, problems);
    String insutype = in.text("insutype", true);
    if (insutype != null && !INSURANCE_TYPES.contains(insutype)) {
      in.problem(SettlementFieldException.Reason.UNKNOWN_CODE, "insutype",
          "is neither 310 (employee basic) nor 390 (resident basic)", setlinfo.get("insutype"));
    }
    String clr = in.text("clr_type", true);
    ClaimType type = ctx.careType();
    if (clr != null && !CLEARING_CODES.contains(clr)) {
      in.problem(SettlementFieldException.Reason.UNKNOWN_CODE, "clr_type", "is not a platform clearing type "
          + new TreeSet<>(CLEARING_CODES), setlinfo.get("clr_type"));
    } else if (clr != null && type == null) {
      type = product.mapping().clearingTypes().value().get(clr);
      if (type == null) {
        in.problem(SettlementFieldException.Reason.UNKNOWN_CODE, "clr_type", "has no claim type in " + product.code()
            + " (it maps " + new TreeSet<>(product.mapping().clearingTypes().value().keySet()) + ")", setlinfo.get("clr_type"));
      }
    }
    admdvs(in, "mdtrtarea_admvs", ctx.treatmentAdmdvs());
    admdvs(in, "insuplc_admdvs", ctx.insuredAdmdvs());

    LocalDateTime settled = settleTime(in);
    if (settled != null) {
      LocalDate day = settled.toLocalDate();
      try {
        PolicyPeriod.Span span = product.period().value().spanFor(ctx.policyStart(), day);
        if (!span.contains(day)) {
          in.problem(SettlementFieldException.Reason.DATE_OUTSIDE_POLICY, "setl_time",
              day + " is outside " + product.code() + " [" + span.start() + ", " + span.endExclusive() + ")",
              setlinfo.get("setl_time"));
        }
      } catch (io.hmb.adapters.engine.ClaimInputException e) {
        in.contextProblem(SettlementFieldException.Reason.MISSING_FIELD, "policy_start", e.getMessage(), null);
      }
    }

    Long total = in.amount("medfee_sumamt", true);
    Long fulamt = in.amount("fulamt_ownpay_amt", true);
    Long overLimit = in.amount("overlmt_selfpay", true);
    Long prior = in.amount("preselfpay_amt", true);
    Long inscope = in.amount("inscp_scp_amt", true);
    Long fundTotal = in.amount("fund_pay_sumamt", true);
    Long personPart = in.amount("psn_part_amt", true);
    Long dedc = in.amount("act_pay_dedc", false);
    Long hifp = in.amount("hifp_pay", false);
    Long cvlserv = in.amount("cvlserv_pay", false);
    Long hifes = in.amount("hifes_pay", false);
    Long hifmi = in.amount("hifmi_pay", false);
    Long hifob = in.amount("hifob_pay", false);
    Long maf = in.amount("maf_pay", false);
    Long oth = in.amount("oth_pay", false);
    Long acct = in.amount("acct_pay", false);
    Long cash = in.amount("psn_cash_pay", false);
    Long mulaid = in.amount("acct_mulaid_pay", false);

    if (allRead(hifp, cvlserv, hifes, hifmi, hifob, maf, oth, fundTotal)) {
      long funds = hifp + cvlserv + hifes + hifmi + hifob + maf + oth;
      if (funds != fundTotal) {
        in.problem(SettlementFieldException.Reason.FUNDS_DO_NOT_ADD_UP, "fund_pay_sumamt",
            "fund parts add up to " + funds + " fen, fund_pay_sumamt is " + fundTotal + " fen", setlinfo.get("fund_pay_sumamt"));
      }
    }
    if (allRead(fundTotal, personPart, total) && fundTotal + personPart != total) {
      in.problem(SettlementFieldException.Reason.TOTAL_DOES_NOT_ADD_UP, "medfee_sumamt",
          "fund_pay_sumamt + psn_part_amt = " + (fundTotal + personPart) + " fen, medfee_sumamt is " + total + " fen",
          setlinfo.get("medfee_sumamt"));
    }
    if (allRead(prior, fulamt, overLimit, personPart) && prior + fulamt + overLimit > personPart) {
      in.problem(SettlementFieldException.Reason.SELFPAY_EXCEEDS_PERSON_PART, "psn_part_amt",
          "preselfpay_amt + fulamt_ownpay_amt + overlmt_selfpay = " + (prior + fulamt + overLimit)
              + " fen > psn_part_amt " + personPart + " fen", setlinfo.get("psn_part_amt"));
    }
    if (fulamt != null && (ctx.excludedFen() < 0 || ctx.excludedFen() > fulamt)) {
      in.contextProblem(SettlementFieldException.Reason.EXCLUDED_EXCEEDS_OUT_OF_CATALOGUE, "excluded",
          "excluded " + ctx.excludedFen() + " fen must be between 0 and fulamt_ownpay_amt " + fulamt + " fen",
          Long.toString(ctx.excludedFen()));
    }

    String visitId = in.text("mdtrt_id", true);
    String settlementId = in.text("setl_id", true);
    String personNumber = in.text("psn_no", false);
    String certType = in.text("psn_cert_type", false);
    String certNumber = in.text("certno", false);
    if (RESIDENT_ID_CARD.equals(certType) && certNumber != null && !ResidentIdNumber.isValid(certNumber)) {
      in.problem(SettlementFieldException.Reason.BAD_CERT_NUMBER, "certno",
          "is not a valid identity number (psn_cert_type 01): length, birth date or check character", setlinfo.get("certno"));
    }
    String personType = in.text("psn_type", false);
    String institution = in.text("fixmedins_code", false);

    setlinfo.fieldNames().forEachRemaining(name -> {
      if (!SetlinfoFields.known(name, options.alsoKnown())) problems.add(SetlinfoMapping.unknown(prefix, name, setlinfo.get(name), options));
    });
    if (problems.stream().anyMatch(FieldProblem::blocking)) return new SetlinfoMapping(Optional.empty(), problems);

    long selfPay = prior + fulamt + overLimit;
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
    if (personNumber != null) person.setPersonNumber(personNumber);
    if (certType != null) person.setCertType(certType);
    if (certNumber != null) person.setCertNumber(certNumber);
    var instant = settled.atZone(PolicyPeriod.CST).toInstant();
    SettlementData data = SettlementData.newBuilder().setVisitId(visitId)
        .setSettlementId(settlementId).setPerson(person).setInsuranceType(insutype)
        .setPersonType(personType == null ? "" : personType)
        .setSettleTime(Timestamp.newBuilder().setSeconds(instant.getEpochSecond()))
        .setClearingType(clr).setCareType(CareType.valueOf("CARE_TYPE_" + type.name()))
        .setInstitutionCode(institution == null ? "" : institution)
        .setTreatmentAdmdvs(ctx.treatmentAdmdvs()).setInsuredAdmdvs(ctx.insuredAdmdvs())
        .setOutOfAreaFiled(ctx.outOfAreaFiled())
        .setMedicalFeeTotalFen(total).setFullOwnpayFen(fulamt).setOverLimitSelfpayFen(overLimit).setPriorSelfpayFen(prior)
        .setInscopeFen(inscope).setDeductibleAppliedFen(dedc).setPoolFundPayFen(hifp).setCivilServantPayFen(cvlserv)
        .setEmployerSupplementaryPayFen(hifes).setCriticalIllnessPayFen(hifmi).setLargeAmountSubsidyPayFen(hifob)
        .setMedicalAssistancePayFen(maf).setOtherFundPayFen(oth).setFundPayTotalFen(fundTotal).setPersonPartFen(personPart)
        .setAccountPayFen(acct).setCashPayFen(cash).setFamilyMutualAidPayFen(mulaid).setBuckets(buckets).build();
    return new SetlinfoMapping(Optional.of(data), problems);
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
      List<FieldProblem> problems = new ArrayList<>();
      FieldReader in = new FieldReader(line, "", problems);
      Long own = in.amount("fulamt_ownpay_amt", false);
      String hilist = in.text("hilist_code", false);
      String medList = in.text("med_list_codg", false);
      String level = in.text("chrgitm_lv", false);
      if (!problems.isEmpty()) throw problems.get(0).toException();
      boolean onBureauList = onList(bureauList, hilist, medList);
      if (onBureauList) listed += own;
      else if ("03".equals(level) && hilist != null) classC += own;
      if (onList(drugList, hilist, medList)) drugOnList = true;
    }
    return new Claim.Items(classC, bureauList == null ? null : listed, drugList == null ? null : drugOnList, null, null);
  }

  /** Null-safe: immutable sets refuse to look up null, and a line may lack either code. */
  private static boolean onList(Set<String> list, String hilist, String medList) {
    return list != null && ((hilist != null && list.contains(hilist)) || (medList != null && list.contains(medList)));
  }

  private static void admdvs(FieldReader in, String name, String code) {
    if (!Admdvs.isWellFormed(code)) {
      in.contextProblem(SettlementFieldException.Reason.UNKNOWN_CODE, name, "must be six digits", code);
    }
  }

  private static LocalDateTime settleTime(FieldReader in) {
    String text = in.text("setl_time", true);
    if (text == null) return null;
    try {
      return LocalDateTime.parse(text, SETL_TIME);
    } catch (DateTimeParseException e) {
      in.problem(SettlementFieldException.Reason.BAD_DATE, "setl_time", "must be yyyy-MM-dd HH:mm:ss (CST)",
          in.node().get("setl_time"));
      return null;
    }
  }

  private static boolean allRead(Long... amounts) {
    for (Long a : amounts) {
      if (a == null) return false;
    }
    return true;
  }
}
