package io.hmb.gateway.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/** One column of many records as a SQL array, for the statements that take a batch's rows through {@code unnest}. */
final class ColumnArrays {
  private ColumnArrays() {}

  static <T> Array text(Connection c, List<T> items, Function<T, String> column) throws SQLException {
    return c.createArrayOf("text", items.stream().map(column).toArray(String[]::new));
  }

  static <T> Array bytes(Connection c, List<T> items, Function<T, byte[]> column) throws SQLException {
    return c.createArrayOf("bytea", items.stream().map(column).toArray(byte[][]::new));
  }
}
