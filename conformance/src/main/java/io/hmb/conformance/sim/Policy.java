package io.hmb.conformance.sim;

import io.hmb.adapters.engine.Adjudication;
import io.hmb.adapters.engine.Insured;
import io.hmb.adapters.engine.PolicyPeriod;
import io.hmb.adapters.engine.PolicyYearLedger;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The insurer's record of one policy: the application, the idempotency keys chosen for it (stored
 * before the first call, so a retry after a crash reuses them), the deduction, and once enrolled the
 * person's policy-year ledger and the claims decided on it. Thread-safe: one policy's claims are
 * decided one at a time, as {@link PolicyYearLedger} requires.
 */
public final class Policy {
  /** APPLIED -> ENROLLED | REFUSED; ENROLLED -> CANCELLED. */
  public enum State { APPLIED, ENROLLED, REFUSED, CANCELLED }

  /** One claim decided under this policy, by settlement id; {@code binding} when it came from a one-stop quote. */
  public record DecidedClaim(String settlementId, String claimNumber, Adjudication adjudication, boolean binding) {}

  private final String policyNumber;
  private final Application application;
  private final String deductionKey;
  private final String registrationKey;
  private final String reversalKey;
  private final String cancellationKey;
  private State state = State.APPLIED;
  private String refusal;
  private DeductionRequest deductionRequest;
  private DeductionReceipt receipt;
  private LocalDate requestedOn;
  private long premiumFen;
  private Insured insured;
  private PolicyPeriod.Span span;
  private PolicyYearLedger ledger;
  private final Map<String, DecidedClaim> claims = new LinkedHashMap<>();

  Policy(String policyNumber, Application application) {
    this.policyNumber = policyNumber;
    this.application = application;
    this.deductionKey = "deduct:" + policyNumber;
    this.registrationKey = "register:" + policyNumber;
    this.reversalKey = "reverse:" + policyNumber;
    this.cancellationKey = "cancel:" + policyNumber;
  }

  public String policyNumber() {
    return policyNumber;
  }

  public String productCode() {
    return application.productCode();
  }

  public String certNumber() {
    return application.insured().getCertNumber();
  }

  public Application application() {
    return application;
  }

  public String deductionKey() {
    return deductionKey;
  }

  String registrationKey() {
    return registrationKey;
  }

  String reversalKey() {
    return reversalKey;
  }

  String cancellationKey() {
    return cancellationKey;
  }

  public synchronized State state() {
    return state;
  }

  public synchronized Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  public synchronized long premiumFen() {
    return premiumFen;
  }

  public synchronized Optional<DeductionRequest> deductionRequest() {
    return Optional.ofNullable(deductionRequest);
  }

  public synchronized Optional<DeductionReceipt> receipt() {
    return Optional.ofNullable(receipt);
  }

  public synchronized Optional<LocalDate> requestedOn() {
    return Optional.ofNullable(requestedOn);
  }

  public synchronized Optional<PolicyPeriod.Span> span() {
    return Optional.ofNullable(span);
  }

  public synchronized Optional<Insured> insured() {
    return Optional.ofNullable(insured);
  }

  public synchronized Map<String, DecidedClaim> claims() {
    return Map.copyOf(claims);
  }

  synchronized void deductionRequested(DeductionRequest request, LocalDate day) {
    this.deductionRequest = request;
    this.requestedOn = day;
    this.premiumFen = request.getAmountFen();
  }

  synchronized void receipt(DeductionReceipt receipt) {
    this.receipt = receipt;
  }

  synchronized void refuse(String why) {
    this.state = State.REFUSED;
    this.refusal = why;
  }

  synchronized void enrolled(Insured insured, PolicyPeriod.Span span, PolicyYearLedger ledger, long premiumFen) {
    this.insured = insured;
    this.span = span;
    this.ledger = ledger;
    this.premiumFen = premiumFen;
    this.state = State.ENROLLED;
  }

  synchronized void cancelled() {
    this.state = State.CANCELLED;
  }

  /** Runs {@code work} with the ledger, one claim at a time. */
  synchronized <T> T withLedger(java.util.function.Function<PolicyYearLedger, T> work) {
    if (ledger == null) {
      throw new IllegalStateException("policy " + policyNumber + " is not enrolled");
    }
    return work.apply(ledger);
  }

  synchronized Optional<DecidedClaim> claim(String settlementId) {
    return Optional.ofNullable(claims.get(settlementId));
  }

  synchronized void decided(DecidedClaim c) {
    claims.put(c.settlementId(), c);
  }

  @Override
  public synchronized String toString() {
    return "Policy{" + policyNumber + ", product=" + productCode() + ", state=" + state + "}";
  }
}
