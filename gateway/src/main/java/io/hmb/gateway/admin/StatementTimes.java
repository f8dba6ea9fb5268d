package io.hmb.gateway.admin;

import io.hmb.gateway.db.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which statements PostgreSQL spends its time on, as pg_stat_statements counts them: calls, execution and
 * planning time, rows, per statement the serving role ran in this database. Two of these around a known number
 * of messages give the statements per message ({@code ./hmb bench --pg-statements}). Only when the embedded
 * database was started with it ({@code GatewayConfig.statementStatistics}, off by default); otherwise
 * {@link #unavailable()} says why and there are no statements.
 *
 * <p>The text is pg_stat_statements' normalised one (constants and parameters as placeholders), normalised
 * further here so that it can never carry a value: every placeholder is {@code ?}, any quoted literal left (a
 * utility statement's) is {@code '?'}, the tuples of a multi-row {@code VALUES} (a rewritten batch) are one
 * tuple and {@code ...}, so batches of any size are one statement.
 *
 * @param unavailable why there are no counts, or empty
 * @param statements by (normalised text, top level or nested), in the order read
 */
public record StatementTimes(Optional<String> unavailable, Map<Key, Statement> statements) {
  static final String EXTENSION = "pg_stat_statements";

  /** A statement as counted: its normalised text, and whether the client sent it or a function ran it. */
  public record Key(String query, boolean topLevel) {}

  /**
   * One statement's counters.
   *
   * @param calls times executed
   * @param execMs total execution time, ms (wall time inside the server: includes lock and WAL-flush waits)
   * @param plans times planned (a prepared statement's generic plan is planned once)
   * @param planMs total planning time, ms (0 without track_planning)
   * @param rows rows returned or affected
   */
  public record Statement(long calls, double execMs, long plans, double planMs, long rows) {
    Statement plus(Statement o) {
      return new Statement(calls + o.calls, execMs + o.execMs, plans + o.plans, planMs + o.planMs, rows + o.rows);
    }

    Statement minus(Statement o) {
      return new Statement(calls - o.calls, execMs - o.execMs, plans - o.plans, planMs - o.planMs, rows - o.rows);
    }
  }

  public boolean available() {
    return unavailable.isEmpty();
  }

  /** What was done after {@code before}: statements that did not run in between are left out. */
  public StatementTimes since(StatementTimes before) {
    if (!available() || !before.available()) {
      return available() ? before : this;
    }
    Map<Key, Statement> out = new LinkedHashMap<>();
    statements.forEach((key, now) -> {
      Statement then = before.statements.get(key);
      Statement d = then == null ? now : now.minus(then);
      if (d.calls() > 0 || d.plans() > 0) {
        out.put(key, d);
      }
    });
    return new StatementTimes(Optional.empty(), out);
  }

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\d+");
  private static final Pattern LITERAL = Pattern.compile("'(?:[^']|'')*'");
  private static final Pattern NUMBER = Pattern.compile("(?<![\\w$?])-?\\d+(?:\\.\\d+)?(?![\\w])");
  private static final Pattern REPEATED_TUPLES = Pattern.compile("(\\((?:\\?|[^()'])*\\))(?:\\s*,\\s*\\1)+");

  /** The text as shown: no value of any kind (see the class comment), one line. */
  static String normalise(String query) {
    String q = WHITESPACE.matcher(query.strip()).replaceAll(" ");
    q = LITERAL.matcher(q).replaceAll("'?'");
    q = PLACEHOLDER.matcher(q).replaceAll("?");
    q = NUMBER.matcher(q).replaceAll("?");
    return REPEATED_TUPLES.matcher(q).replaceAll("$1, ...");
  }

  private static final String SCHEMA = "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
      + "ON n.oid = e.extnamespace WHERE e.extname = '" + EXTENSION + "'";
  private static final String COUNTS = "SELECT s.toplevel, s.calls, s.total_exec_time, s.plans, s.total_plan_time, "
      + "s.rows, s.query FROM %s.pg_stat_statements s WHERE s.userid = (SELECT oid FROM pg_roles WHERE rolname = "
      + "current_user) AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())";

  /**
   * The counters now (pg_stat_statements keeps them in shared memory as each statement ends: no delay). The
   * statements reading them (they name pg_stat_statements or pg_extension) are left out.
   */
  static StatementTimes read(Transactions tx) throws SQLException {
    return tx.read(c -> {
      String schema = null;
      try (PreparedStatement s = c.prepareStatement(SCHEMA); ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          schema = rs.getString(1);
        }
      }
      if (schema == null) {
        return unavailable("the extension " + EXTENSION + " is not created in this database (the embedded database "
            + "has it only with GatewayConfig.statementStatistics, ./hmb bench --pg-statements)");
      }
      Map<Key, Statement> out = new LinkedHashMap<>();
      try (PreparedStatement s = c.prepareStatement(String.format(COUNTS, quote(schema)));
          ResultSet rs = executeIfLoaded(s)) {
        if (rs == null) {
          return unavailable(EXTENSION + " is not in shared_preload_libraries (the embedded database loads it only "
              + "with GatewayConfig.statementStatistics, ./hmb bench --pg-statements)");
        }
        while (rs.next()) {
          String text = rs.getString(7);
          if (text == null || text.contains(EXTENSION) || text.contains("pg_extension")) {
            continue;
          }
          Statement st = new Statement(rs.getLong(2), rs.getDouble(3), rs.getLong(4), rs.getDouble(5), rs.getLong(6));
          out.merge(new Key(normalise(text), rs.getBoolean(1)), st, Statement::plus);
        }
      }
      return new StatementTimes(Optional.empty(), out);
    });
  }

  /** The view's rows, or null when the server has not loaded the library (SQLSTATE 55000, as the view says). */
  private static ResultSet executeIfLoaded(PreparedStatement s) throws SQLException {
    try {
      return s.executeQuery();
    } catch (SQLException e) {
      if (NOT_LOADED.equals(e.getSQLState())) {
        return null;
      }
      throw e;
    }
  }

  /** object_not_in_prerequisite_state: "pg_stat_statements must be loaded via shared_preload_libraries". */
  private static final String NOT_LOADED = "55000";

  private static StatementTimes unavailable(String why) {
    return new StatementTimes(Optional.of(why), Map.of());
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
