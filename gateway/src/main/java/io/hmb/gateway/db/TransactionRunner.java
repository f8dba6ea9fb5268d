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
}
