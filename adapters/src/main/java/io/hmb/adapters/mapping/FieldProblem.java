package io.hmb.adapters.mapping;

/**
 * One thing the setlinfo mapping could not map.
 *
 * @param path where in the posted document, e.g. {@code setlinfo.medfee_sumamt}; context values given beside
 *     the document (the CLI's flags, the agent's parameters) are named as the platform names them
 * @param reason why, a stable code
 * @param detail what is wrong, in words; never the value itself
 * @param shown the value as it may be printed ({@link ShownValues}): masked if personal data, only its shape if
 *     its field is unknown or it could be personal data; empty when the field was absent
 * @param blocking whether the problem stops the mapping (no SettlementData); an unknown field does not, by
 *     default, as its value is simply not carried
 */
public record FieldProblem(String path, SettlementFieldException.Reason reason, String detail, String shown,
    boolean blocking) {

  /** The exception the strict {@link NationalSettlementMapper#map} throws for this problem. */
  SettlementFieldException toException() {
    return new SettlementFieldException(reason, path, detail);
  }
}
