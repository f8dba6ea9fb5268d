package io.hmb.adapters.engine;

/** A claim or insured person the engine refuses to read: bad data, never a benefit decision. */
public final class ClaimInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the input was refused. */
  public enum Reason { MISSING_FIELD, NEGATIVE_AMOUNT, AMOUNT_TOO_LARGE, BUCKETS_DO_NOT_ADD_UP, UNKNOWN_CODE, BAD_VALUE }

  private final Reason reason;
  private final String field;

  public ClaimInputException(Reason reason, String field, String detail) {
    super(reason + " " + field + ": " + detail);
    this.reason = reason;
    this.field = field;
  }

  public Reason reason() {
    return reason;
  }

  public String field() {
    return field;
  }
}
