package io.hmb.gateway.audit;

/**
 * What one {@link AuditChain#chainPending()} call did. "Nothing linked" has two meanings that a caller
 * waiting for the chain must not confuse: {@link Outcome#CAUGHT_UP} (this pass held the chain and found
 * no committed event left to link) and {@link Outcome#LOCKED_ELSEWHERE} (another chainer, on this node
 * or another, holds the chain right now, so this pass looked at nothing).
 */
public record ChainPass(Outcome outcome, int linked) {
  public enum Outcome {
    /** This pass linked {@code linked} (at least one) events; there may be more. */
    LINKED,
    /** This pass held the chain and every committed event it could see was already linked. */
    CAUGHT_UP,
    /** Another chainer holds the chain; this pass did nothing and says nothing about what is left. */
    LOCKED_ELSEWHERE
  }

  public static final ChainPass CAUGHT_UP = new ChainPass(Outcome.CAUGHT_UP, 0);
  public static final ChainPass LOCKED_ELSEWHERE = new ChainPass(Outcome.LOCKED_ELSEWHERE, 0);

  public ChainPass {
    if ((outcome == Outcome.LINKED) != (linked > 0)) {
      throw new IllegalArgumentException(outcome + " with " + linked + " events linked");
    }
  }

  static ChainPass of(int linked) {
    return linked == 0 ? CAUGHT_UP : new ChainPass(Outcome.LINKED, linked);
  }

  /** True when this pass linked events, so another pass right away may find more. */
  public boolean linkedAny() {
    return outcome == Outcome.LINKED;
  }
}
