package io.hmb.adapters.engine;

import io.hmb.api.v1.CoinsurerShare;
import io.hmb.api.v1.Product;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a claim payout among the co-insurance body (共保体) by basis points with the largest-remainder
 * method (design.md): each member first gets floor(payout × bp / 10000); the fen left over go one each
 * to the members with the largest remainders (ties: the larger share, then the body's order), so the
 * shares add up to the payout exactly and no member is more than 1 fen from its exact share.
 */
public final class CoinsuranceSplit {
  private static final long BP = 10_000;

  private CoinsuranceSplit() {}

  public static List<CoinsurerShare> split(long payoutFen, List<Product.Member> members) {
    if (payoutFen < 0) {
      throw new IllegalArgumentException("a payout is never negative");
    }
    if (members.isEmpty() || members.stream().mapToLong(Product.Member::getShareBp).sum() != BP
        || members.stream().anyMatch(m -> m.getShareBp() < 0)) {
      throw new IllegalArgumentException("the co-insurance shares must be non-negative and sum to 10000 bp");
    }
    long[] amounts = new long[members.size()];
    long[] remainders = new long[members.size()];
    long left = payoutFen;
    for (int i = 0; i < members.size(); i++) {
      long exact = Math.multiplyExact(payoutFen, (long) members.get(i).getShareBp());
      amounts[i] = exact / BP;
      remainders[i] = exact % BP;
      left -= amounts[i];
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.<Integer>comparingLong(i -> remainders[i]).reversed()
        .thenComparing(Comparator.<Integer>comparingInt(i -> members.get(i).getShareBp()).reversed())
        .thenComparingInt(i -> i));
    for (int k = 0; k < left; k++) {
      amounts[order.get(k)]++;
    }
    List<CoinsurerShare> shares = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      shares.add(CoinsurerShare.newBuilder().setInsurer(members.get(i).getInsurer()).setShareBp(members.get(i).getShareBp())
          .setAmountFen(amounts[i]).build());
    }
    return shares;
  }
}
