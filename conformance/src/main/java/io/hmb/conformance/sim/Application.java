package io.hmb.conformance.sim;

import io.hmb.adapters.engine.Relation;
import io.hmb.api.v1.Person;
import java.util.Objects;
import java.util.Optional;

/**
 * An enrolment application as the insurer receives it: who is to be insured (with birth date, for the
 * premium), the product, who pays (a personal-account holder and the declared relation, or nobody: cash
 * or online payment outside the gateway) and the health declaration (pre-existing condition).
 * {@link #toString()} holds no personal data.
 */
public record Application(Person insured, String productCode, Optional<Person> payer, Relation relation,
    boolean preexisting) {

  public Application {
    Objects.requireNonNull(insured, "insured");
    Objects.requireNonNull(productCode, "productCode");
    Objects.requireNonNull(payer, "payer");
    if (payer.isPresent() && relation == null) {
      throw new IllegalArgumentException("a personal-account payer needs the declared relation");
    }
  }

  /** Paid from the person's own personal account. */
  public static Application selfPaid(Resident person, String productCode) {
    return new Application(person.toPerson(), productCode, Optional.of(person.toPerson()), Relation.SELF, person.preexisting());
  }

  /** Paid from {@code payer}'s personal account for a family member, with the relation the applicant declares. */
  public static Application paidBy(Resident person, Resident payer, Relation declared, String productCode) {
    return new Application(person.toPerson(), productCode, Optional.of(payer.toPerson()), declared, person.preexisting());
  }

  /** Paid outside the gateway (online, cash, employer): no deduction. */
  public static Application cash(Resident person, String productCode) {
    return new Application(person.toPerson(), productCode, Optional.empty(), null, person.preexisting());
  }

  @Override
  public String toString() {
    return "Application{product=" + productCode + ", personalAccount=" + payer.isPresent() + ", relation=" + relation + "}";
  }
}
