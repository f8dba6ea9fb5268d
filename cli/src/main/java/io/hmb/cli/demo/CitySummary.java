package io.hmb.cli.demo;

import java.math.BigDecimal;

/**
 * One city's figures after the demo's policy year; amounts in fen. {@code stays} hospital stays
 * ({@code oneStop} of them settled at the discharge counter) and {@code drugPurchases} special-drug
 * purchases gave {@code claims} decided claims paying {@code payoutFen} in all.
 */
record CitySummary(String name, String admdvs, int enrolled, int refused, int reversed, long premiumFen, int stays,
    int oneStop, int drugPurchases, int claims, long payoutFen, int failures) {

  /** Payouts over premiums, e.g. "42.7%"; "-" without premiums. */
  String lossRatio() {
    return premiumFen == 0 ? "-" : String.format("%.1f%%", 100.0 * payoutFen / premiumFen);
  }

  static String yuan(long fen) {
    return String.format("%,.2f", BigDecimal.valueOf(fen, 2));
  }
}
