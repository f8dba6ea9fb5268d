package io.hmb.conformance.suite;

/** The groups a report is organised by. */
public enum Capability {
  ENVELOPE_AND_CRYPTO("Envelope and cryptography"),
  IDENTITY_AND_MTLS("Identity and mutual TLS"),
  ELIGIBILITY("Eligibility"),
  PREMIUM_DEDUCTION("Premium deduction"),
  SETTLEMENT("Settlement and one-stop settlement"),
  CLAIM_RESULTS("Claim results"),
  RECONCILIATION("Reconciliation"),
  DELIVERY("Delivery and inbox"),
  ERRORS("Errors"),
  BENEFIT_RULES("Benefit rules (golden cases)"),
  ADVERSARY("Adversaries");

  private final String title;

  Capability(String title) {
    this.title = title;
  }

  public String title() {
    return title;
  }
}
