package io.hmb.adapters.engine;

/**
 * Integer-fen arithmetic. Ratios are basis points (10000 = 100%). The only rounding in the engine is
 * {@link #applyBpHalfUp} and {@link #roundHalfUp}, called once per liability per claim (see each
 * product file's "rounding" rule).
 */
public final class Money {
  public static final long BP = 10_000L;
  /** Upper bound on any single amount: 10^12 fen (10 billion yuan) keeps fen x bp far inside a long. */
  public static final long MAX_AMOUNT_FEN = 1_000_000_000_000L;

  private Money() {}

  /** {@code numeratorFenBp / 10000}, rounded half-up; the numerator is never negative. */
  public static long roundHalfUp(long numeratorFenBp) {
    if (numeratorFenBp < 0) throw new IllegalArgumentException("negative numerator " + numeratorFenBp);
    return (numeratorFenBp + BP / 2) / BP;
  }

  /** {@code fen * bp / 10000}, rounded half-up. */
  public static long applyBpHalfUp(long fen, int bp) {
    return roundHalfUp(Math.multiplyExact(fen, (long) bp));
  }

  /** "12345.67" for 1234567 fen. */
  public static String yuan(long fen) {
    String sign = fen < 0 ? "-" : "";
    long abs = Math.abs(fen);
    return sign + (abs / 100) + "." + String.format("%02d", abs % 100);
  }
}
