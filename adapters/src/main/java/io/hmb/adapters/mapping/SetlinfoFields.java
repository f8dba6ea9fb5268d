package io.hmb.adapters.mapping;

import java.util.Set;

/** The setlinfo fields the mapping knows: those it carries into SettlementData and those it knows and leaves. */
public final class SetlinfoFields {
  /** Read by {@link NationalSettlementMapper} (national-platform.md, "Settlement result (setlinfo)"). */
  public static final Set<String> CARRIED = Set.of("mdtrt_id", "setl_id", "psn_no", "psn_cert_type", "certno",
      "insutype", "psn_type", "setl_time", "clr_type", "fixmedins_code", "medfee_sumamt", "fulamt_ownpay_amt",
      "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt", "act_pay_dedc", "hifp_pay", "cvlserv_pay", "hifes_pay",
      "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay",
      "acct_mulaid_pay");

  /**
   * Platform fields the mapping knows and does not carry, so they are neither mapped nor reported (nor checked).
   * pool_prop_selfpay, balc, medins_setl_id, clr_optins: national-platform.md (a ratio, the account balance and the
   * clearing bookkeeping, which no product rule reads). The rest, decision: the platform's 2207/2304 settlement
   * output also carries them (the seeds are silent); the person's name, sex, nationality and birth date are the
   * insurer's from enrolment, not the bill's, and hosp_part_amt (the hospital's share) pays nobody's claim.
   */
  public static final Set<String> NOT_CARRIED = Set.of("pool_prop_selfpay", "balc", "medins_setl_id", "clr_optins",
      "psn_name", "gend", "naty", "brdy", "age", "cvlserv_flag", "mdtrt_cert_type", "med_type", "hosp_part_amt",
      "clr_way");

  /**
   * Beside setlinfo in the 2304 settlement's output object. Decision: setldetail lists the fund payments that
   * setlinfo's *_pay fields already sum, so it is known and not carried.
   */
  public static final Set<String> OUTPUT_SIBLINGS = Set.of("setldetail");

  private SetlinfoFields() {}

  static boolean known(String field, Set<String> alsoKnown) {
    return CARRIED.contains(field) || NOT_CARRIED.contains(field) || alsoKnown.contains(field);
  }
}
