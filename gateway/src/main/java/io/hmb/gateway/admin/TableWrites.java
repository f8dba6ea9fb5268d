package io.hmb.gateway.admin;

import com.zaxxer.hikari.HikariDataSource;
import io.hmb.gateway.db.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rows written to each of the gateway's tables as PostgreSQL counts them ({@code pg_stat_user_tables}), and
 * the WAL position: two of these around a known number of messages give the writes per message
 * ({@code ./hmb bench}, docs/performance.md "Writes per message"). Any role may read these views.
 *
 * @param tables by table name
 * @param walBytes {@code pg_current_wal_lsn()} as a byte position
 */
public record TableWrites(Map<String, Table> tables, long walBytes) {
  /** Between two readings the counts moved by less than nothing for this long: they include what was done. */
  static final Duration STILL_FOR = Duration.ofMillis(1500);
  private static final long POLL_MS = 200;

  /**
   * One table's counters: rows inserted, updated (of which HOT: no index touched), deleted, and how many
   * indexes it has (pg_index).
   */
  public record Table(long inserted, long updated, long hotUpdated, long deleted, int indexes) {
    /**
     * Index entries written: every inserted row and every update that is not HOT adds an entry to each of
     * the table's indexes. An upper bound: a partial index gets none for a row its predicate leaves out.
     */
    public long indexEntries() {
      return (inserted + updated - hotUpdated) * indexes;
    }

    /** Rows written in any way (inserted, updated, deleted). */
    public long rowsWritten() {
      return inserted + updated + deleted;
    }

    Table minus(Table before) {
      return new Table(inserted - before.inserted, updated - before.updated, hotUpdated - before.hotUpdated,
          deleted - before.deleted, indexes);
    }
  }

  /** What was written after {@code before}; a table new since then counts from zero. */
  public TableWrites since(TableWrites before) {
    Map<String, Table> out = new TreeMap<>();
    tables.forEach((name, t) -> out.put(name, t.minus(before.tables.getOrDefault(name,
        new Table(0, 0, 0, 0, t.indexes)))));
    return new TableWrites(out, walBytes - before.walBytes);
  }

  private static final String COUNTS = "SELECT t.relname, t.n_tup_ins, t.n_tup_upd, t.n_tup_hot_upd, t.n_tup_del, "
      + "(SELECT count(*) FROM pg_index i WHERE i.indrelid = t.relid) FROM pg_stat_user_tables t "
      + "WHERE t.schemaname = current_schema()";

  /** The counters as the statistics collector has them now (PostgreSQL 14: up to 500 ms behind). */
  static TableWrites read(Transactions tx) throws SQLException {
    return tx.read(c -> {
      try (var s = c.createStatement()) {
        s.execute("SELECT pg_stat_clear_snapshot()");
      }
      Map<String, Table> tables = new TreeMap<>();
      try (PreparedStatement s = c.prepareStatement(COUNTS); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          tables.put(rs.getString(1), new Table(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
              rs.getInt(6)));
        }
      }
      try (PreparedStatement s = c.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
          ResultSet rs = s.executeQuery()) {
        rs.next();
        return new TableWrites(tables, rs.getLong(1));
      }
    });
  }

  /**
   * The counters once they include everything committed before the call. A PostgreSQL 14 backend sends its
   * counts to the statistics collector at most every 500 ms, when it goes idle, and at its exit: so the pool's
   * connections are replaced (each backend exits, reporting what it holds) and the counts are read until they
   * stay still for {@link #STILL_FOR}, at most {@code within}. Meant for a gateway at rest: while traffic goes
   * on they never stay still, and the last reading is returned when {@code within} runs out.
   */
  static TableWrites settled(Transactions tx, Duration within) throws SQLException, InterruptedException {
    if (tx.dataSource() instanceof HikariDataSource pool && pool.getHikariPoolMXBean() != null) {
      pool.getHikariPoolMXBean().softEvictConnections();
    }
    long deadline = System.nanoTime() + within.toNanos();
    TableWrites last = read(tx);
    long stillSince = System.nanoTime();
    while (System.nanoTime() - deadline < 0) {
      Thread.sleep(POLL_MS);
      TableWrites now = read(tx);
      if (!now.tables.equals(last.tables)) {
        stillSince = System.nanoTime();
      } else if (System.nanoTime() - stillSince >= STILL_FOR.toNanos()) {
        return now;
      }
      last = now;
    }
    return last;
  }
}
