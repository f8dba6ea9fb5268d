package io.hmb.adapters.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.api.v1.CoinsurerShare;
import io.hmb.api.v1.Product;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CoinsuranceSplitTest {
  static Product.Member member(String insurer, int bp) {
    return Product.Member.newBuilder().setInsurer(insurer).setShareBp(bp).build();
  }

  @Test
  void sharesAddUpToThePayoutAndTheLeftoverFenGoToTheLargestRemainders() {
    // 101 fen at 1/3 each: exact 33.67, 33.67, 33.66 -> the two largest remainders get the 2 extra fen.
    List<CoinsurerShare> shares = CoinsuranceSplit.split(101,
        List.of(member("A", 3334), member("B", 3333), member("C", 3333)));
    assertThat(shares).extracting(CoinsurerShare::getAmountFen).containsExactly(34L, 34L, 33L);
    assertThat(shares).extracting(CoinsurerShare::getShareBp).containsExactly(3334, 3333, 3333);
  }

  @Test
  void tiesGoToTheLargerShareThenTheBodysOrder() {
    // 1 fen, 70/30: remainders 7000 and 3000 -> the lead gets it.
    assertThat(CoinsuranceSplit.split(1, List.of(member("CO", 3000), member("LEAD", 7000))))
        .extracting(CoinsurerShare::getAmountFen).containsExactly(0L, 1L);
    // 1 fen, 50/50: equal remainders, equal shares -> the first listed.
    assertThat(CoinsuranceSplit.split(1, List.of(member("A", 5000), member("B", 5000))))
        .extracting(CoinsurerShare::getAmountFen).containsExactly(1L, 0L);
  }

  @Test
  void exactSplitsNeedNoRounding() {
    assertThat(CoinsuranceSplit.split(1_570_800, List.of(member("LEAD", 7000), member("CO", 3000))))
        .extracting(CoinsurerShare::getAmountFen).containsExactly(1_099_560L, 471_240L);
    assertThat(CoinsuranceSplit.split(0, List.of(member("LEAD", 7000), member("CO", 3000))))
        .extracting(CoinsurerShare::getAmountFen).containsExactly(0L, 0L);
  }

  @Test
  void randomSplitsAlwaysSumExactlyAndStayWithinOneFenOfTheExactShare() {
    Random random = new Random(7);
    for (int run = 0; run < 2_000; run++) {
      int n = 1 + random.nextInt(6);
      int[] bp = new int[n];
      int left = 10_000;
      for (int i = 0; i < n - 1; i++) {
        bp[i] = random.nextInt(left + 1);
        left -= bp[i];
      }
      bp[n - 1] = left;
      List<Product.Member> members = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        members.add(member("I" + i, bp[i]));
      }
      long payout = random.nextInt(100_000_000);
      List<CoinsurerShare> shares = CoinsuranceSplit.split(payout, members);
      assertThat(shares.stream().mapToLong(CoinsurerShare::getAmountFen).sum()).isEqualTo(payout);
      for (int i = 0; i < n; i++) {
        double exact = payout * (double) bp[i] / 10_000;
        assertThat(Math.abs(shares.get(i).getAmountFen() - exact)).isLessThan(1.0);
      }
    }
  }

  @Test
  void refusesABodyWhoseSharesDoNotMakeTheWhole() {
    assertThatThrownBy(() -> CoinsuranceSplit.split(100, List.of(member("A", 6000), member("B", 3000))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10000");
    assertThatThrownBy(() -> CoinsuranceSplit.split(-1, List.of(member("A", 10_000))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
