package io.hmb.gateway.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a statement's EXPLAIN ANALYZE text says it read: the plan tests pin a query's cost to what it needs. */
public final class QueryPlans {
  /** A plan node's line, e.g. {@code ->  Index Scan using message_waiting on message message_3 (actual ... rows=5 loops=1)}. */
  private static final Pattern NODE = Pattern.compile("->|^\\s*\\S.*\\(actual");
  private static final Pattern MESSAGE_SCAN = Pattern.compile("Scan .*on message\\b.*\\(actual time=\\S+ rows=(\\d+) loops=(\\d+)\\)");
  private static final Pattern REMOVED = Pattern.compile("Rows Removed by (?:Filter|Index Recheck): (\\d+)");

  private QueryPlans() {}

  /** Rows returned by, or removed by a filter in, each scan of {@code message} in a text plan (both per loop). */
  public static long rowsReadFromMessage(String plan) {
    long rows = 0;
    long loops = 0; // of the current node, if it scans message; 0 otherwise
    for (String line : plan.split("\n")) {
      Matcher scan = MESSAGE_SCAN.matcher(line);
      Matcher removed = REMOVED.matcher(line);
      if (scan.find()) {
        loops = Long.parseLong(scan.group(2));
        rows += Long.parseLong(scan.group(1)) * loops;
      } else if (removed.find()) {
        rows += Long.parseLong(removed.group(1)) * loops;
      } else if (NODE.matcher(line).find()) {
        loops = 0;
      }
    }
    return rows;
  }

  /**
   * Runs {@code statement} (JDBC placeholders) with {@code args} (SQL text) as a generic plan, the one a pooled
   * connection's prepared statement settles on, under EXPLAIN ANALYZE, and returns the plan's text. Run it inside a
   * transaction rolled back afterwards, then {@code DEALLOCATE ALL}: the statement is prepared as {@code planned}.
   */
  public static String genericPlan(java.sql.Statement s, String statement, String args) throws java.sql.SQLException {
    s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
    s.execute("PREPARE planned AS " + numbered(statement));
    StringBuilder plan = new StringBuilder();
    try (java.sql.ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE) EXECUTE planned(" + args + ")")) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }

  /** JDBC's {@code ?} placeholders as PREPARE's {@code $1, $2, ...} (the statement has no {@code ?} in a literal). */
  public static String numbered(String statement) {
    StringBuilder out = new StringBuilder();
    int n = 0;
    for (char ch : statement.toCharArray()) {
      out.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
    }
    return out.toString();
  }
}
