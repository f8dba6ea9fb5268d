package io.hmb.adapters.enrolment;

import io.hmb.adapters.engine.Relation;

/**
 * Who pays the premium and how. {@link #CASH} is any payment that is not a personal account (online,
 * counter, employer or donor); a personal-account payer names the insured's relation to the account holder.
 *
 * @param personalAccount whether the premium comes from a basic-insurance personal account (个账代扣)
 * @param relation the insured's relation to the account holder (SELF when paying for oneself)
 * @param insuredCity the account holder's insured city
 * @param hasPersonalAccount whether the holder has an employee personal account at all
 */
public record Payer(boolean personalAccount, Relation relation, String insuredCity, boolean hasPersonalAccount) {
  public static final Payer CASH = new Payer(false, null, null, false);

  public static Payer personalAccount(Relation relation, String insuredCity) {
    return new Payer(true, relation, insuredCity, true);
  }
}
