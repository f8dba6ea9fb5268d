package io.hmb.adapters.mapping;

/** A national-platform settlement result refused by the mapping, with a reason code and the field. */
public final class SettlementFieldException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a settlement field was refused. Nothing is ever clamped or guessed. */
  public enum Reason {
    MISSING_FIELD, NOT_A_DECIMAL, TOO_MANY_DECIMALS, NEGATIVE_AMOUNT, AMOUNT_TOO_LARGE,
    /** fund_pay_sumamt is not the sum of the fund parts. */
    FUNDS_DO_NOT_ADD_UP,
    /** medfee_sumamt is not fund_pay_sumamt + psn_part_amt. */
    TOTAL_DOES_NOT_ADD_UP,
    /** The self-pay parts exceed the person's share. */
    SELFPAY_EXCEEDS_PERSON_PART,
    /** The insurer's excluded amount exceeds the out-of-catalogue self-pay it is taken from. */
    EXCLUDED_EXCEEDS_OUT_OF_CATALOGUE,
    UNKNOWN_CODE, BAD_DATE, DATE_OUTSIDE_POLICY,
    /** A text field (code, id, date) that is not a JSON string. */
    WRONG_TYPE,
    /** certno of an identity card (psn_cert_type 01) whose check character or birth date is wrong. */
    BAD_CERT_NUMBER,
    /** A field the mapping does not know; its value is not carried (and never shown: it may be anything). */
    UNKNOWN_FIELD
  }

  private final Reason reason;
  private final String field;
  private final String detail;

  public SettlementFieldException(Reason reason, String field, String detail) {
    super(reason + " " + field + ": " + detail);
    this.reason = reason;
    this.field = field;
    this.detail = detail;
  }

  /** What is wrong, without the reason and the field. */
  public String detail() {
    return detail;
  }

  public Reason reason() {
    return reason;
  }

  public String field() {
    return field;
  }
}
