package io.hmb.conformance.sim;

import io.hmb.adapters.engine.Assistance;
import io.hmb.adapters.engine.Scheme;
import io.hmb.api.v1.AssistanceStatus;
import io.hmb.api.v1.InsuranceScheme;
import io.hmb.api.v1.Person;
import io.hmb.security.mask.Masks;
import java.time.LocalDate;

/**
 * One simulated person as the bureau holds them. Personal data: {@link #toString()} masks the id
 * number and omits the name.
 *
 * @param household index of the household in the population
 * @param role the person's place in the household, which fixes family relations
 * @param suspended basic insurance suspended (contributions not paid)
 * @param personalAccount whether the person has an employee personal account (个人账户)
 * @param openingBalanceFen the account's balance when the simulation starts
 * @param preexisting on the products' pre-existing-condition list (declared at enrolment)
 */
public record Resident(String certNumber, String name, LocalDate birthDate, String personNumber, String insuredCity,
    Scheme scheme, Assistance assistance, boolean suspended, boolean personalAccount, long openingBalanceFen,
    boolean preexisting, int household, HouseholdRole role) {

  /** A person's place in a simulated household of four. */
  public enum HouseholdRole { WORKER, SPOUSE, CHILD, PARENT }

  /** The person as the contract carries them (certificate type 01 = resident identity card). */
  public Person toPerson() {
    return Person.newBuilder().setCertType("01").setCertNumber(certNumber).setName(name).setPersonNumber(personNumber)
        .setBirthDate(ProtoDates.date(birthDate)).build();
  }

  public InsuranceScheme schemeProto() {
    return scheme == Scheme.EMPLOYEE ? InsuranceScheme.INSURANCE_SCHEME_EMPLOYEE : InsuranceScheme.INSURANCE_SCHEME_RESIDENT;
  }

  public AssistanceStatus assistanceProto() {
    return switch (assistance) {
      case NONE -> AssistanceStatus.ASSISTANCE_STATUS_NONE;
      case DIBAO -> AssistanceStatus.ASSISTANCE_STATUS_DIBAO;
      case TEKUN -> AssistanceStatus.ASSISTANCE_STATUS_TEKUN;
    };
  }

  /** The masked id number, safe for logs. */
  public String masked() {
    return Masks.residentId(certNumber);
  }

  @Override
  public String toString() {
    return "Resident{" + masked() + ", household=" + household + ", role=" + role + ", scheme=" + scheme + "}";
  }
}
