package io.hmb.gateway.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs work in one database transaction: committed if it returns, rolled back if it throws. */
public final class Transactions implements TransactionRunner {
  private final DataSource dataSource;

  public Transactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The pool the transactions come from. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Work done inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  public <T> T inTransaction(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    }
  }

  @Override
  public <T> T inTransaction(boolean waitForDisk, Work<T> work) throws SQLException {
    return inTransaction(c -> {
      if (!waitForDisk) {
        skipWaitingForDisk(c);
      }
      return work.apply(c);
    });
  }

  /** For the current transaction only: its commit returns before the WAL is flushed. */
  static void skipWaitingForDisk(Connection c) throws SQLException {
    try (var s = c.createStatement()) {
      s.execute("SET LOCAL synchronous_commit = off");
    }
  }

  /** Read-only or single-statement work with auto-commit. */
  public <T> T read(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return work.apply(c);
    }
  }

  static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException rollbackFailed) {
      cause.addSuppressed(rollbackFailed);
    }
  }
}
