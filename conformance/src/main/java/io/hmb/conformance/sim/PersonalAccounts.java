package io.hmb.conformance.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Employee personal accounts (个人账户) at the bureau, in fen. A balance is never edited in place: every
 * debit and credit is an appended movement and the balance is the opening balance plus the movements
 * (design.md: model money like TigerBeetle). Thread-safe.
 */
public final class PersonalAccounts {
  /** One movement: negative for a debit; {@code reference} is the deduction id it belongs to. */
  public record Movement(String certNumber, long amountFen, String reference) {}

  private final Map<String, Long> opening = new HashMap<>();
  private final List<Movement> movements = new ArrayList<>();

  PersonalAccounts(Population population) {
    population.residents().stream().filter(Resident::personalAccount)
        .forEach(r -> opening.put(r.certNumber(), r.openingBalanceFen()));
  }

  public synchronized boolean exists(String certNumber) {
    return opening.containsKey(certNumber);
  }

  public synchronized long balanceFen(String certNumber) {
    Long start = opening.get(certNumber);
    if (start == null) {
      throw new IllegalArgumentException("no personal account for that person");
    }
    long sum = start;
    for (Movement m : movements) {
      if (m.certNumber().equals(certNumber)) {
        sum += m.amountFen();
      }
    }
    return sum;
  }

  /** Takes {@code amountFen} out; the caller checked the balance. Returns the balance after. */
  synchronized long debit(String certNumber, long amountFen, String reference) {
    return move(certNumber, -amountFen, reference);
  }

  /** Gives {@code amountFen} back (a reversal). Returns the balance after. */
  synchronized long credit(String certNumber, long amountFen, String reference) {
    return move(certNumber, amountFen, reference);
  }

  private long move(String certNumber, long signedFen, String reference) {
    long after = balanceFen(certNumber) + signedFen;
    if (after < 0) {
      throw new IllegalStateException("a debit would overdraw the account (deduction " + reference + ")");
    }
    movements.add(new Movement(certNumber, signedFen, reference));
    return after;
  }

  /** Every movement so far, in order. */
  public synchronized List<Movement> movements() {
    return List.copyOf(movements);
  }
}
