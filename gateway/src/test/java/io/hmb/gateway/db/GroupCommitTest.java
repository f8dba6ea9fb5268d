package io.hmb.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on a real PostgreSQL. Batches are made deterministic by holding the writer in a first work
 * until the others have queued behind it; they then share the next transaction.
 */
class GroupCommitTest {
  private static EmbeddedPostgres postgres;
  private static DataSource db;
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() throws Exception {
    // Durable as the gateway's own database is (the library's test defaults turn both off).
    postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
        .start();
    db = postgres.getPostgresDatabase();
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void table() throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS record");
      // Unique at once for k; unique only at COMMIT for late, so a commit itself can be made to fail.
      s.execute("CREATE TABLE record (k text PRIMARY KEY, late text, "
          + "CONSTRAINT late_unique UNIQUE (late) DEFERRABLE INITIALLY DEFERRED)");
    }
  }

  @Test
  void concurrentRecordsShareOneTransactionAndEachCallerGetsItsOwnResult() throws Exception {
    try (GroupCommit group = new GroupCommit(db, GroupCommit.DEFAULT_MAX_BATCH)) {
      List<Future<String>> results = batchBehindAHeldWriter(group, 10, i -> insert("k" + i, null, true));
      List<String> txids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String[] parts = results.get(i).get(30, TimeUnit.SECONDS).split(":");
        assertThat(parts[0]).isEqualTo("k" + i); // its own result, not a neighbour's
        txids.add(parts[1]);
      }
      assertThat(txids).as("one transaction for the queued ten").containsOnly(txids.get(0));
      assertThat(count()).isEqualTo(11); // the ten and the work that held the writer
    }
  }

  @Test
  void aCommitThatFailsFailsEveryCallerInTheBatchAndLeavesNothing() throws Exception {
    try (GroupCommit group = new GroupCommit(db, GroupCommit.DEFAULT_MAX_BATCH)) {
      // Two records collide only at COMMIT (deferred constraint); a third, valid, shares their transaction.
      List<Future<String>> results = batchBehindAHeldWriter(group, 3,
          i -> insert("late" + i, i < 2 ? "same" : "other", true));
      for (Future<String> r : results) {
        assertThat(failure(r)).isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
      }
      assertThat(count()).as("only the holding work, committed alone before the batch").isEqualTo(1);
    }
  }

  @Test
  void oneCallersInvalidRecordDoesNotFailTheOthersInItsBatch() throws Exception {
    try (GroupCommit group = new GroupCommit(db, GroupCommit.DEFAULT_MAX_BATCH)) {
      insertAlone("taken");
      List<Future<String>> results = batchBehindAHeldWriter(group, 5, i -> i == 2
          ? insert("taken", null, true) // violates the primary key at once: aborts the shared transaction
          : insert("ok" + i, null, true));
      for (int i = 0; i < 5; i++) {
        if (i == 2) {
          assertThat(failure(results.get(i))).isInstanceOf(SQLException.class);
        } else {
          assertThat(results.get(i).get(30, TimeUnit.SECONDS)).startsWith("ok" + i + ":");
        }
      }
      assertThat(count()).isEqualTo(1 + 1 + 4); // taken, the holder, the four valid ones
    }
  }

  @Test
  void aBatchSkipsTheDiskFlushOnlyWhenEveryRecordInItMay() throws Exception {
    try (GroupCommit group = new GroupCommit(db, GroupCommit.DEFAULT_MAX_BATCH)) {
      List<Future<String>> mixed = batchBehindAHeldWriter(group, 3,
          i -> setting(i != 1)); // one of three must wait for the disk
      for (Future<String> r : mixed) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo("on");
      }
      List<Future<String>> questions = batchBehindAHeldWriter(group, 3, i -> setting(true));
      for (Future<String> r : questions) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo("off");
      }
    }
  }

  @Test
  void aClosedGroupCommitsWhatWasQueuedAndRefusesMore() throws Exception {
    GroupCommit group = new GroupCommit(db, 4);
    List<Future<String>> queued = batchBehindAHeldWriter(group, 6, i -> insert("q" + i, null, true));
    group.close();
    for (Future<String> r : queued) {
      assertThat(r.get(30, TimeUnit.SECONDS)).startsWith("q");
    }
    assertThat(count()).isEqualTo(7);
    try {
      group.inTransaction(true, c -> "late");
      throw new AssertionError("a closed group commit accepted work");
    } catch (SQLException e) {
      assertThat(e.getMessage()).contains("stopping");
    }
  }

  @Test
  void itemsOfOneBatchedKindInABatchRunAsOneStatementEachGettingItsOwnResult() throws Exception {
    try (GroupCommit group = new GroupCommit(db, GroupCommit.DEFAULT_MAX_BATCH)) {
      MultiRowInsert kind = new MultiRowInsert();
      List<Future<String>> results = batchBehindAHeldWriter(group, 10, i -> i == 4
          ? insert("plain" + i, null, true) // a plain work in the same batch runs as before
          : new Job(true, null, kind, "b" + i));
      for (int i = 0; i < 10; i++) {
        assertThat(results.get(i).get(30, TimeUnit.SECONDS)).startsWith(i == 4 ? "plain4:" : "b" + i + ":9 in one");
      }
      assertThat(kind.calls.get()).as("one statement for the nine").isEqualTo(1);
      assertThat(count()).isEqualTo(11);
    }
  }

  @Test
  void oneInvalidItemOfABatchedKindDoesNotFailTheOthers() throws Exception {
    try (GroupCommit group = new GroupCommit(db, GroupCommit.DEFAULT_MAX_BATCH)) {
      insertAlone("taken");
      MultiRowInsert kind = new MultiRowInsert();
      List<Future<String>> results = batchBehindAHeldWriter(group, 5, i -> new Job(true, null, kind, i == 2 ? "taken" : "c" + i));
      for (int i = 0; i < 5; i++) {
        if (i == 2) {
          assertThat(failure(results.get(i))).isInstanceOf(SQLException.class)
              .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
        } else {
          assertThat(results.get(i).get(30, TimeUnit.SECONDS)).startsWith("c" + i + ":1 in one"); // each alone
        }
      }
      assertThat(count()).isEqualTo(1 + 1 + 4);
    }
  }

  @Test
  void withoutGroupCommitABatchedItemRunsAloneInItsOwnTransaction() throws Exception {
    MultiRowInsert kind = new MultiRowInsert();
    assertThat(new Transactions(db).inTransaction(true, kind, "solo")).startsWith("solo:1 in one");
    assertThat(count()).isEqualTo(1);
  }

  /** Inserts its items' keys with one multi-row INSERT; each result says how many shared the statement. */
  private static final class MultiRowInsert implements BatchedWork<String, String> {
    final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public List<String> applyAll(Connection c, List<String> keys) throws SQLException {
      calls.incrementAndGet();
      try (PreparedStatement s = c.prepareStatement("INSERT INTO record(k) SELECT * FROM unnest(?::text[])")) {
        s.setArray(1, c.createArrayOf("text", keys.toArray()));
        s.executeUpdate();
      }
      return keys.stream().map(k -> k + ":" + keys.size() + " in one").toList();
    }
  }

  /** A work of the batch: what it is given and returns. */
  private record Job(boolean waitForDisk, Transactions.Work<String> work, BatchedWork<String, String> kind,
      String item) {
    Job(boolean waitForDisk, Transactions.Work<String> work) {
      this(waitForDisk, work, null, null);
    }

    String run(TransactionRunner runner) throws SQLException {
      return kind == null ? runner.inTransaction(waitForDisk, work) : runner.inTransaction(waitForDisk, kind, item);
    }
  }

  private interface JobFactory {
    Job make(int i);
  }

  /**
   * Holds the writer inside a first work, queues {@code n} jobs behind it (waiting until the queue holds them
   * all), then lets the writer go: they form the next batch (up to its size limit).
   */
  private List<Future<String>> batchBehindAHeldWriter(GroupCommit group, int n, JobFactory jobs) throws Exception {
    CountDownLatch writerHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> holder = callers.submit(() -> group.inTransaction(true, c -> {
      writerHeld.countDown();
      await(release);
      return insert("holder-" + System.nanoTime(), null, true).work().apply(c);
    }));
    assertThat(writerHeld.await(30, TimeUnit.SECONDS)).isTrue();
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Job job = jobs.make(i);
      results.add(callers.submit(() -> job.run(group)));
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (group.queued() < n) {
      assertThat(System.nanoTime()).as("jobs queued behind the writer").isLessThan(until);
      Thread.sleep(5); // polling the queue's length: the callers' submission has no completion signal
    }
    release.countDown();
    holder.get(30, TimeUnit.SECONDS);
    return results;
  }

  private static Job insert(String k, String late, boolean waitForDisk) {
    return new Job(waitForDisk, c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO record(k, late) VALUES (?, ?)")) {
        s.setString(1, k);
        s.setString(2, late);
        s.executeUpdate();
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT txid_current()")) {
        rs.next();
        return k + ":" + rs.getLong(1);
      }
    });
  }

  private static Job setting(boolean mayskipDisk) {
    return new Job(!mayskipDisk, c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
        rs.next();
        return rs.getString(1);
      }
    });
  }

  private static void insertAlone(String k) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO record(k) VALUES (?)")) {
      s.setString(1, k);
      s.executeUpdate();
    }
  }

  private static long count() throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM record")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Throwable failure(Future<String> f) throws Exception {
    try {
      f.get(30, TimeUnit.SECONDS);
      throw new AssertionError("succeeded");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
