package io.hmb.adapters.engine;

import java.util.List;
import java.util.Optional;

/**
 * One city product year, as read and validated from {@code products/<code>.json}. Immutable.
 *
 * @param cityAdmdvs six-digit code of the product's city
 * @param rounding how and where amounts are rounded (one mode today: half-up, once per liability per claim)
 * @param enrolment empty for a historic product that is no longer sold
 */
public record Product(String code, String name, String cityAdmdvs, String source, Cited<PolicyPeriod> period,
    Cited<String> rounding, ClaimRules claimRules, List<Parameter> parameters, List<DeductibleGroup> deductibleGroups,
    Optional<AssistanceRule> assistanceRule, List<Liability> liabilities, Optional<EnrolmentTerms> enrolment,
    SettlementMapping mapping, List<Reading> readings) {

  public static final String ROUNDING_HALF_UP_PER_CLAIM_PER_LIABILITY = "HALF_UP_PER_CLAIM_PER_LIABILITY";

  /** Whether {@code admdvs} lies in the product's city: the city, its pool, or any of its districts and counties. */
  public boolean inCity(String admdvs) {
    return io.hmb.api.Admdvs.inCity(admdvs, cityAdmdvs);
  }

  public Liability liability(String liabilityCode) {
    for (Liability l : liabilities) if (l.code().equals(liabilityCode)) return l;
    throw new IllegalArgumentException("product " + code + " has no liability " + liabilityCode);
  }

  public DeductibleGroup deductibleGroup(String id) {
    for (DeductibleGroup g : deductibleGroups) if (g.id().equals(id)) return g;
    throw new IllegalArgumentException("product " + code + " has no deductible group " + id);
  }
}
