package io.hmb.adapters.engine;

/**
 * An annual deductible, fixed in the file or derived from a parameter (大病: 50% of the prior year's
 * per-capita disposable income).
 *
 * @param amountFen the fixed amount, or null when derived
 * @param fromParameter name of the parameter it is derived from, or null when fixed
 * @param shareBp share of the parameter, basis points, when derived
 */
public record DeductibleGroup(String id, Cited<Long> amountFen, String fromParameter, Cited<Integer> shareBp) {
  /** The clause the deductible's figure comes from. */
  public String amountOrShareClause() {
    return amountFen != null ? amountFen.clause() : shareBp.clause();
  }
}
