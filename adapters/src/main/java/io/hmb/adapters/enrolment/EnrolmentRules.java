package io.hmb.adapters.enrolment;

import io.hmb.adapters.engine.EnrolmentTerms;
import io.hmb.adapters.engine.PolicyPeriod;
import io.hmb.adapters.engine.Product;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.Relation;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZonedDateTime;

/**
 * Enrolment, premium, payment, refund and newborn rules of the product files, for the reference bureau
 * and insurer simulators. Stateless; every answer carries the clause it rests on. Days are CST.
 */
public final class EnrolmentRules {
  private final ProductCatalog catalog;

  public EnrolmentRules(ProductCatalog catalog) {
    this.catalog = catalog;
  }

  /**
   * May {@code person} enrol in {@code product} on {@code date}, paid by {@code payer}? Checks, in order:
   * the product is on sale, basic insurance (insured, not suspended, in the right city), one policy per
   * person per year, the sales window (or a veteran's late joining), who may pay from whose account.
   */
  public Decision check(Product product, Applicant person, Payer payer, LocalDate date) {
    if (product.enrolment().isEmpty()) {
      return Decision.refuse(EnrolmentReason.PRODUCT_NOT_ON_SALE, product.code() + " is not sold through the gateway", product.source());
    }
    EnrolmentTerms t = product.enrolment().get();
    if (person.basicStatus() == BasicStatus.NOT_INSURED || person.insuredCity() == null) {
      return Decision.refuse(EnrolmentReason.NOT_INSURED, "not insured in basic medical insurance", t.insuredElsewhereMayEnrol().clause());
    }
    if (person.basicStatus() == BasicStatus.SUSPENDED) {
      return Decision.refuse(EnrolmentReason.BASIC_INSURANCE_SUSPENDED, "basic insurance suspended",
          product.claimRules().suspendedWithBasicInsurance().clause());
    }
    if (!product.inCity(person.insuredCity()) && !t.insuredElsewhereMayEnrol().value()) {
      return Decision.refuse(EnrolmentReason.NOT_INSURED_IN_CITY, "insured in " + person.insuredCity() + ", product city " + product.cityAdmdvs(),
          t.insuredElsewhereMayEnrol().clause());
    }
    for (String held : person.enrolledProducts()) {
      var other = catalog.get(held).enrolment();
      if (other.isPresent() && other.get().exclusiveGroup().value().equals(t.exclusiveGroup().value())) {
        return Decision.refuse(EnrolmentReason.ALREADY_ENROLLED, "already holds " + held, t.exclusiveGroup().clause());
      }
    }
    PolicyPeriod period = product.period().value();
    LocalDate start;
    LocalDate end;
    String clause;
    if (t.salesWindow().value().contains(date)) {
      boolean fromEnrolment = period.kind() == PolicyPeriod.Kind.FROM_ENROLMENT;
      start = fromEnrolment ? date : period.start();
      end = fromEnrolment ? date.plusMonths(period.months()) : period.endExclusive();
      clause = t.salesWindow().clause();
    } else if (lateVeteran(t, period, person, date)) {
      start = date;
      end = period.endExclusive();
      clause = t.veteransMayJoinUntilExclusive().clause();
    } else {
      return Decision.refuse(EnrolmentReason.SALES_WINDOW_CLOSED, date + " is outside the sales window " + describe(t.salesWindow().value()),
          t.salesWindow().clause());
    }
    Decision payment = paymentCheck(product, t, person, payer);
    if (payment != null) return payment;
    return Decision.allow("may enrol", clause, start, end, premiumFen(product, person.birthDate(), date));
  }

  private static boolean lateVeteran(EnrolmentTerms t, PolicyPeriod period, Applicant person, LocalDate date) {
    LocalDate until = t.veteransMayJoinUntilExclusive().value();
    return until != null && person.veteranJoinDate() != null && person.veteranJoinDate().equals(date)
        && period.kind() == PolicyPeriod.Kind.FIXED && !date.isBefore(period.start()) && date.isBefore(until);
  }

  private static Decision paymentCheck(Product product, EnrolmentTerms t, Applicant person, Payer payer) {
    if (payer == null || !payer.personalAccount()) return null;
    var rule = t.personalAccount();
    if (!rule.value().offered()) {
      return Decision.refuse(EnrolmentReason.PERSONAL_ACCOUNT_NOT_OFFERED, "premiums are not paid from personal accounts", rule.clause());
    }
    if (!payer.hasPersonalAccount()) {
      return Decision.refuse(EnrolmentReason.NO_PERSONAL_ACCOUNT, "the payer has no personal account", rule.clause());
    }
    if (payer.insuredCity() == null || !product.inCity(payer.insuredCity())) {
      return Decision.refuse(EnrolmentReason.PAYER_NOT_INSURED_IN_CITY, "payer insured in " + payer.insuredCity(), rule.clause());
    }
    if (payer.relation() == null || !rule.value().relations().contains(payer.relation())) {
      return Decision.refuse(EnrolmentReason.NOT_DIRECT_FAMILY, "relation " + payer.relation() + " may not pay; allowed "
          + rule.value().relations(), rule.clause());
    }
    if (payer.relation() != Relation.SELF && rule.value().familyMustBeInsuredInCity() && !product.inCity(person.insuredCity())) {
      return Decision.refuse(EnrolmentReason.FAMILY_NOT_INSURED_IN_CITY, "family member insured in " + person.insuredCity(),
          rule.clause());
    }
    return null;
  }

  /** The premium for a person born on {@code birthDate} buying on {@code date} (age in full years that day). */
  public static long premiumFen(Product product, LocalDate birthDate, LocalDate date) {
    EnrolmentTerms t = product.enrolment().orElseThrow(
        () -> new IllegalArgumentException(product.code() + " has no premium table: not sold through the gateway"));
    int age = Period.between(birthDate, date).getYears();
    if (age < 0) throw new IllegalArgumentException("born " + birthDate + " after the purchase day " + date);
    for (EnrolmentTerms.PremiumBand band : t.premium().value()) {
      if (band.maxAge() == null || age <= band.maxAge()) return band.fen();
    }
    throw new IllegalStateException("premium table of " + product.code() + " has no open last band");
  }

  /** Whether a paid premium may be refunded on {@code date} for a policy starting {@code policyStart}. */
  public static boolean refundAllowed(Product product, LocalDate policyStart, LocalDate date) {
    return refund(product, policyStart, date).allowed();
  }

  /** As {@link #refundAllowed(Product, LocalDate, LocalDate)}, at an instant: effective at 00:00 CST. */
  public static boolean refundAllowed(Product product, LocalDate policyStart, ZonedDateTime now) {
    return refundAllowed(product, policyStart, now.withZoneSameInstant(PolicyPeriod.CST).toLocalDate());
  }

  public static Decision refund(Product product, LocalDate policyStart, LocalDate date) {
    if (product.enrolment().isEmpty()) {
      return Decision.refuse(EnrolmentReason.PRODUCT_NOT_ON_SALE, product.code() + " is not sold through the gateway", product.source());
    }
    var rule = product.enrolment().get().refund();
    if (rule.value() == EnrolmentTerms.RefundRule.NONE) {
      return Decision.refuse(EnrolmentReason.REFUND_NOT_OFFERED, "no refund through the gateway", rule.clause());
    }
    if (!date.isBefore(policyStart)) {
      return Decision.refuse(EnrolmentReason.POLICY_IN_EFFECT, "the policy took effect on " + policyStart, rule.clause());
    }
    return Decision.allow("full refund before the policy takes effect", rule.clause(), null, null, 0);
  }

  /** Cover for a newborn whose parents both hold the product: from the birth day, no premium. */
  public static Decision newbornCover(Product product, LocalDate birthDate, boolean bothParentsEnrolled) {
    var terms = product.enrolment();
    if (terms.isEmpty() || !terms.get().newbornsOfInsuredParents().value()) {
      return Decision.refuse(EnrolmentReason.NOT_A_NEWBORN_PRODUCT, product.code() + " has no newborn rule",
          terms.map(t -> t.newbornsOfInsuredParents().clause()).orElse(product.source()));
    }
    var clause = terms.get().newbornsOfInsuredParents().clause();
    PolicyPeriod period = product.period().value();
    if (period.kind() != PolicyPeriod.Kind.FIXED || birthDate.isBefore(period.start()) || !birthDate.isBefore(period.endExclusive())) {
      return Decision.refuse(EnrolmentReason.BORN_OUTSIDE_PERIOD, "born " + birthDate + " outside the product year", clause);
    }
    if (!bothParentsEnrolled) {
      return Decision.refuse(EnrolmentReason.NEWBORN_PARENTS_NOT_BOTH_ENROLLED, "both parents must hold the product", clause);
    }
    return Decision.allow("covered from birth", clause, birthDate, period.endExclusive(), 0);
  }

  /**
   * Is a policy in force on {@code date}? Outside the period, or while basic insurance is suspended
   * (where the product says cover follows it), it is not.
   */
  public static Decision coverageOn(Product product, LocalDate policyStart, BasicStatus status, LocalDate date) {
    PolicyPeriod.Span span = product.period().value().spanFor(policyStart, date);
    if (!span.contains(date)) {
      return Decision.refuse(EnrolmentReason.OUTSIDE_PERIOD, date + " outside [" + span.start() + ", " + span.endExclusive() + ")",
          product.period().clause());
    }
    var rule = product.claimRules().suspendedWithBasicInsurance();
    if (status != BasicStatus.ACTIVE && rule.value()) {
      return Decision.refuse(status == BasicStatus.SUSPENDED ? EnrolmentReason.BASIC_INSURANCE_SUSPENDED : EnrolmentReason.NOT_INSURED,
          "basic insurance " + status, rule.clause());
    }
    return Decision.allow("in force", product.period().clause(), span.start(), span.endExclusive(), 0);
  }

  private static String describe(EnrolmentTerms.Window w) {
    return "[" + (w.from() == null ? "open" : w.from()) + ", " + (w.untilExclusive() == null ? "open" : w.untilExclusive()) + ")";
  }
}
