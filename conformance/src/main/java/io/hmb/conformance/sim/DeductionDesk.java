package io.hmb.conformance.sim;

import io.hmb.adapters.engine.PolicyPeriod;
import io.hmb.adapters.engine.Product;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.Relation;
import io.hmb.adapters.enrolment.Applicant;
import io.hmb.adapters.enrolment.BasicStatus;
import io.hmb.adapters.enrolment.Decision;
import io.hmb.adapters.enrolment.EnrolmentRules;
import io.hmb.adapters.enrolment.Payer;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionReceipt.RejectionReason;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.DeductionReversal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bureau's personal-account deductions (个账代扣): REQUESTED -> POSTED | REJECTED, POSTED -> REVERSED
 * at most once and only where the product's refund rule allows it on the business day.
 *
 * <p>A refusal's detail names the rule (its clause), never an amount or a person.
 *
 * <p>Exactly once: the answer to each (sender, idempotency key) is recorded with the posting in one
 * critical section, and a repeat is answered from the record without touching the account. The
 * {@link Flaw#DOUBLE_DEDUCTION} bureau skips that look-up and posts again.
 */
final class DeductionDesk {
  private final String city;
  private final Population population;
  private final PersonalAccounts accounts;
  private final PolicyRegister register;
  private final ProductCatalog catalog;
  private final EnrolmentRules rules;
  private final BusinessDay day;
  private final Clock clock;
  private final Flaw flaw;
  private final Map<String, DeductionReceipt> answered = new HashMap<>();
  private final Map<String, Deduction> deductions = new LinkedHashMap<>();
  private final Map<String, Integer> postings = new HashMap<>();

  DeductionDesk(String city, Population population, PersonalAccounts accounts, PolicyRegister register,
      ProductCatalog catalog, BusinessDay day, Clock clock, Flaw flaw) {
    this.city = city;
    this.population = population;
    this.accounts = accounts;
    this.register = register;
    this.catalog = catalog;
    this.rules = new EnrolmentRules(catalog);
    this.day = day;
    this.clock = clock;
    this.flaw = flaw;
  }

  synchronized DeductionReceipt request(DeductionRequest r, String sender, String idempotencyKey) {
    String operation = operation(sender, idempotencyKey);
    DeductionReceipt earlier = answered.get(operation);
    if (earlier != null && flaw == Flaw.DOUBLE_DEDUCTION && earlier.getState() == DeductionReceipt.State.STATE_POSTED) {
      // The flaw: a repeat is taken for a new request and the premium is posted again.
      DeductionReceipt again = post(r, sender, idempotencyKey, population.find(r.getPayer().getCertNumber()).orElseThrow(),
          population.find(r.getInsured().getCertNumber()).orElseThrow(), catalog.get(r.getProductCode()), day.today());
      answered.put(operation, again);
      return again;
    }
    if (earlier != null) {
      return earlier;
    }
    DeductionReceipt receipt = decide(r, sender, idempotencyKey);
    answered.put(operation, receipt);
    return receipt;
  }

  synchronized DeductionReceipt reverse(DeductionReversal r, String sender, String idempotencyKey) {
    String operation = operation(sender, "reversal:" + idempotencyKey);
    DeductionReceipt earlier = answered.get(operation);
    if (earlier != null) {
      return earlier;
    }
    DeductionReceipt receipt = decideReversal(r, sender, idempotencyKey);
    answered.put(operation, receipt);
    return receipt;
  }

  private DeductionReceipt decide(DeductionRequest r, String sender, String key) {
    LocalDate today = day.today();
    Product product;
    try {
      product = catalog.get(r.getProductCode());
    } catch (IllegalArgumentException unknown) {
      return rejected(key, RejectionReason.REJECTION_REASON_SALES_WINDOW_CLOSED, "product not sold through the gateway");
    }
    Optional<Resident> payer = population.find(r.getPayer().getCertNumber());
    if (payer.isEmpty() || !city.equals(payer.get().insuredCity()) || payer.get().suspended()) {
      return rejected(key, RejectionReason.REJECTION_REASON_NOT_INSURED_IN_CITY,
          "the payer is not insured in good standing in " + city);
    }
    if (!accounts.exists(payer.get().certNumber())) {
      return rejected(key, RejectionReason.REJECTION_REASON_NO_PERSONAL_ACCOUNT, "the payer has no personal account");
    }
    Optional<Resident> insured = population.find(r.getInsured().getCertNumber());
    if (insured.isEmpty()) {
      return rejected(key, RejectionReason.REJECTION_REASON_NOT_INSURED_IN_CITY, "the insured is not insured in " + city);
    }
    Relation relation = Population.relation(insured.get(), payer.get());
    if (Relations.fromProto(r.getRelation()) != relation) {
      return rejected(key, RejectionReason.REJECTION_REASON_NOT_DIRECT_FAMILY,
          "the bureau's records show the relation as " + relation);
    }
    Decision decision = rules.check(product, applicant(insured.get()),
        new Payer(true, relation, payer.get().insuredCity(), true), today);
    if (!decision.allowed()) {
      return rejected(key, decision.reason().toProto(), decision.detail() + " (" + decision.clause() + ")");
    }
    if (r.getAmountFen() != decision.premiumFen()) {
      // Name the rule, never the figure: the premium follows from the person's age, so it tells who they are.
      return rejected(key, RejectionReason.REJECTION_REASON_WRONG_AMOUNT,
          "the amount is not the product's premium for the insured (" + product.enrolment().orElseThrow().premium().clause()
              + ")");
    }
    return post(r, sender, key, payer.get(), insured.get(), product, today);
  }

  private DeductionReceipt post(DeductionRequest r, String sender, String key, Resident payer, Resident insured,
      Product product, LocalDate today) {
    if (accounts.balanceFen(payer.certNumber()) < r.getAmountFen()) {
      return rejected(key, RejectionReason.REJECTION_REASON_INSUFFICIENT_BALANCE, "the balance is too low");
    }
    String id = String.format("D-%s-%06d", city, deductions.size() + 1);
    long after = accounts.debit(payer.certNumber(), r.getAmountFen(), id);
    deductions.put(id, new Deduction(id, sender, key, payer.certNumber(), insured.certNumber(),
        product.code(), r.getPolicyNumber(), r.getAmountFen(), policyStart(product, r, today), today, null));
    postings.merge(operation(sender, key), 1, Integer::sum);
    return DeductionReceipt.newBuilder().setDeductionId(id).setState(DeductionReceipt.State.STATE_POSTED)
        .setAmountFen(r.getAmountFen()).setBalanceAfterFen(after).setPostTime(ProtoDates.timestamp(clock.instant()))
        .setIdempotencyKey(key).setDetail("posted").build();
  }

  private DeductionReceipt decideReversal(DeductionReversal r, String sender, String key) {
    Deduction d = deductions.get(r.getDeductionId());
    if (d == null || !d.sender().equals(sender)) {
      return rejected(key, RejectionReason.REJECTION_REASON_DEDUCTION_UNKNOWN, "no posted deduction with that id");
    }
    if (d.isReversed()) {
      return rejected(key, RejectionReason.REJECTION_REASON_ALREADY_REVERSED, "reversed on " + d.reversedOn());
    }
    LocalDate today = day.today();
    Decision refund = EnrolmentRules.refund(catalog.get(d.productCode()), d.policyStart(), today);
    if (!refund.allowed()) {
      return rejected(key, refund.reason().toProto(), refund.detail() + " (" + refund.clause() + ")");
    }
    long after = accounts.credit(d.payerCert(), d.amountFen(), d.deductionId());
    deductions.put(d.deductionId(), d.reversed(today));
    return DeductionReceipt.newBuilder().setDeductionId(d.deductionId()).setState(DeductionReceipt.State.STATE_REVERSED)
        .setAmountFen(d.amountFen()).setBalanceAfterFen(after).setPostTime(ProtoDates.timestamp(clock.instant()))
        .setIdempotencyKey(key).setDetail("reversed: " + refund.clause()).build();
  }

  private Applicant applicant(Resident insured) {
    Set<String> held = new HashSet<>(register.productsHeld(insured.certNumber()));
    deductions.values().stream().filter(d -> d.insuredCert().equals(insured.certNumber()) && !d.isReversed())
        .forEach(d -> held.add(d.productCode()));
    BasicStatus status = insured.suspended() ? BasicStatus.SUSPENDED : BasicStatus.ACTIVE;
    return new Applicant(insured.birthDate(), insured.insuredCity(), insured.scheme(), status, null, held);
  }

  /** Fixed-period products start when their file says; others when the request says (or today). */
  private static LocalDate policyStart(Product product, DeductionRequest r, LocalDate today) {
    PolicyPeriod period = product.period().value();
    if (period.kind() == PolicyPeriod.Kind.FIXED) {
      return period.start();
    }
    LocalDate asked = r.hasPolicyStartDate() ? ProtoDates.localDate(r.getPolicyStartDate()) : null;
    return asked != null ? asked : today;
  }

  private static DeductionReceipt rejected(String key, RejectionReason reason, String detail) {
    return DeductionReceipt.newBuilder().setState(DeductionReceipt.State.STATE_REJECTED).setRejectionReason(reason)
        .setDetail(detail).setIdempotencyKey(key).build();
  }

  private static String operation(String sender, String key) {
    return sender + "\n" + key;
  }

  synchronized List<Deduction> deductions() {
    return new ArrayList<>(deductions.values());
  }

  /** How many times the request with this (sender, key) moved money: 1 for a healthy bureau. */
  synchronized int postings(String sender, String idempotencyKey) {
    return postings.getOrDefault(operation(sender, idempotencyKey), 0);
  }
}
