package io.hmb.conformance.suite;

/**
 * What a case does. It returns normally when the target conforms, throws {@link AssertionError} with a
 * message that says what was expected and what came back when it does not, and {@link Skip} when
 * the case cannot run here (e.g. the target has no participant the case needs).
 */
@FunctionalInterface
public interface CaseBody<C> {
  void run(C context) throws Exception;

  /** Thrown by a case that cannot run against this target; the message says why. */
  final class Skip extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Skip(String why) {
      super(why);
    }
  }
}
