package io.hmb.gateway.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Work of one kind that many callers' records can share a statement for: a {@link GroupCommit} batch that holds
 * several items of the same kind runs them with one {@link #applyAll} (a multi-row INSERT instead of one per
 * record), inside the batch's transaction. It must behave, for each item, as if the items had run one after
 * the other in that order; an exception rolls back the batch and each item then runs alone, as any work's does.
 * Compare kinds by identity: keep one instance per kind.
 *
 * @param <I> what one caller hands in
 * @param <T> what that caller gets back
 */
public interface BatchedWork<I, T> {
  /** One result per item, in the items' order. */
  List<T> applyAll(Connection c, List<I> items) throws SQLException;

  /** {@link #applyAll}, refusing an answer without exactly one result per item. */
  default List<T> applyEach(Connection c, List<I> items) throws SQLException {
    List<T> results = applyAll(c, items);
    if (results.size() != items.size()) {
      throw new IllegalStateException(getClass().getName() + " gave " + results.size() + " results for "
          + items.size() + " items");
    }
    return results;
  }

  /** This work for one item, as an ordinary piece of work. */
  default Transactions.Work<T> alone(I item) {
    return c -> applyEach(c, List.of(item)).get(0);
  }
}
