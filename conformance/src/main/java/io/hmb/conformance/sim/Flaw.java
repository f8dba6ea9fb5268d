package io.hmb.conformance.sim;

/**
 * A deliberate defect a simulator can be built with, so the conformance suite can prove that it
 * catches a participant that misbehaves. {@link #NONE} (healthy) is the default everywhere.
 */
public enum Flaw {
  /** Healthy: every rule kept. */
  NONE,
  /**
   * Insurer: answers coverage queries without opening the envelope or checking its signature at all,
   * sealing a "covered" answer back to whoever the header names.
   */
  SKIP_SIGNATURE_VERIFICATION,
  /** Bureau: posts every deduction request, even one whose idempotency key it has already posted. */
  DOUBLE_DEDUCTION,
  /** Insurer: every quote and claim payout is {@link #WRONG_PAYOUT_DELTA_FEN} fen more than the rules give. */
  WRONG_PAYOUT,
  /**
   * Bureau or insurer: its endpoint admits any certificate the CA issued, as endpoints did before Security II,
   * so a participant can call it directly, bypassing the gateway ({@link AcceptsAnyCaCertificate}).
   */
  ACCEPTS_ANY_CA_CERTIFICATE;

  /** How far off a {@link #WRONG_PAYOUT} insurer's payouts are, in fen. */
  public static final long WRONG_PAYOUT_DELTA_FEN = 100;
}
