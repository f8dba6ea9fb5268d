package io.hmb.gateway.db;

import java.sql.SQLException;

/**
 * Runs a piece of work in a transaction that is committed if it returns and rolled back if it throws:
 * {@link Transactions} gives each its own, {@link GroupCommit} lets concurrent ones share one commit.
 */
public interface TransactionRunner {
  /**
   * @param waitForDisk false lets the commit return before its WAL is flushed ({@code synchronous_commit =
   *     off} for that transaction): a database crash may then lose it, never leave it half-written
   */
  <T> T inTransaction(boolean waitForDisk, Transactions.Work<T> work) throws SQLException;

  /**
   * One item of a {@link BatchedWork}: by itself in a transaction here; {@link GroupCommit} runs the items of one
   * kind that share a batch with one {@link BatchedWork#applyAll}.
   */
  default <I, T> T inTransaction(boolean waitForDisk, BatchedWork<I, T> kind, I item) throws SQLException {
    return inTransaction(waitForDisk, kind.alone(item));
  }
}
