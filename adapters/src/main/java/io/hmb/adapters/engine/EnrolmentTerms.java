package io.hmb.adapters.engine;

import java.time.LocalDate;
import java.util.List;

/**
 * A product's enrolment rules, as read from its file. Historic products (sold before the gateway) have
 * none, and {@link Product#enrolment()} is empty.
 *
 * @param exclusiveGroup products in the same group are one policy per person per year (basic XOR upgrade)
 * @param salesWindow days on which the product may be bought, [from, untilExclusive); either end may be open
 * @param insuredElsewhereMayEnrol people insured in basic insurance outside the city may enrol
 * @param premium premium by age band (a single open band where the premium is flat)
 * @param refund whether and when a paid premium is refunded
 * @param personalAccount who may pay from whose personal account
 * @param veteransMayJoinUntilExclusive veterans may join outside the sales window until this day, or null
 * @param newbornsOfInsuredParents newborns of two enrolled parents are covered from birth without enrolling
 */
public record EnrolmentTerms(Cited<String> exclusiveGroup, Cited<Window> salesWindow,
    Cited<Boolean> insuredElsewhereMayEnrol, Cited<List<PremiumBand>> premium, Cited<RefundRule> refund,
    Cited<PersonalAccountRule> personalAccount, Cited<LocalDate> veteransMayJoinUntilExclusive,
    Cited<Boolean> newbornsOfInsuredParents) {

  public record Window(LocalDate from, LocalDate untilExclusive) {
    public boolean contains(LocalDate day) {
      return (from == null || !day.isBefore(from)) && (untilExclusive == null || day.isBefore(untilExclusive));
    }
  }

  /** Premium for ages up to {@code maxAge} inclusive (null: no upper end). */
  public record PremiumBand(Integer maxAge, long fen) {}

  public enum RefundRule {
    /** Full refund on request before the policy takes effect; none after (Dalian). */
    FULL_BEFORE_EFFECTIVE,
    /** No refund through the gateway. */
    NONE
  }

  /**
   * @param offered whether premiums may be paid from a personal account at all
   * @param relations whom the account holder may pay for
   * @param familyMustBeInsuredInCity the person paid for must be insured in the city's basic insurance
   */
  public record PersonalAccountRule(boolean offered, List<Relation> relations, boolean familyMustBeInsuredInCity) {
    public PersonalAccountRule {
      relations = List.copyOf(relations);
    }
  }
}
