package io.hmb.gateway.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent callers' small transactions (admissions, answers) committed together: one writer takes what
 * has queued up, at most {@code maxBatch}, runs it in one transaction and commits once, so they share one
 * WAL flush; then each caller gets its own result. Nothing waits to fill a batch: an idle gateway commits
 * each record alone at once, a busy one in batches as large as its load makes them.
 *
 * <p>A caller is answered only after the shared commit returned, so an acknowledgement still means "on disk".
 * <ul>
 *   <li>A commit that fails fails every caller in the batch with its exception: nothing was acknowledged, and
 *       the transaction left nothing half-written (the callers retry with their idempotency keys).</li>
 *   <li>One caller's work that throws (a REPLAYED refusal, a constraint) rolls the batch back, and the writer
 *       then runs each work of it in a transaction of its own: the others are not failed for it.</li>
 *   <li>A lost connection fails the whole batch at once rather than retrying each alone against it.</li>
 * </ul>
 * No savepoints: a subtransaction per caller would cost a round trip each and, past 64 in one transaction,
 * PostgreSQL's subtransaction cache overflows.
 *
 * <p>Items of a {@link BatchedWork} (admissions, answers) that share a batch run as one statement per kind: one
 * round trip and one executor start for all of them, on the single writer's connection.
 */
public final class GroupCommit implements TransactionRunner, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  /** Records per shared commit at most: large enough to share a flush, small enough to keep locks short. */
  public static final int DEFAULT_MAX_BATCH = 64;

  private final DataSource dataSource;
  private final Transactions alone;
  private final int maxBatch;
  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  private static final class Pending<T> {
    final Transactions.Work<T> work;
    final boolean waitForDisk;
    /** Set for an item of a batched kind, which {@link #work} then runs alone. */
    final BatchedWork<Object, T> kind;
    final Object item;
    final CompletableFuture<T> result = new CompletableFuture<>();

    Pending(Transactions.Work<T> work, boolean waitForDisk) {
      this(work, waitForDisk, null, null);
    }

    @SuppressWarnings("unchecked")
    <I> Pending(BatchedWork<I, T> kind, I item, boolean waitForDisk) {
      this(kind.alone(item), waitForDisk, (BatchedWork<Object, T>) kind, item);
    }

    private Pending(Transactions.Work<T> work, boolean waitForDisk, BatchedWork<Object, T> kind, Object item) {
      this.work = work;
      this.waitForDisk = waitForDisk;
      this.kind = kind;
      this.item = item;
    }

    @SuppressWarnings("unchecked")
    void complete(Object value) {
      result.complete((T) value);
    }
  }

  public GroupCommit(DataSource dataSource, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
    }
    this.dataSource = dataSource;
    this.alone = new Transactions(dataSource);
    this.maxBatch = maxBatch;
    this.writer = new Thread(this::writeLoop, "hmb-group-commit");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public <T> T inTransaction(boolean waitForDisk, Transactions.Work<T> work) throws SQLException {
    return await(new Pending<>(work, waitForDisk));
  }

  @Override
  public <I, T> T inTransaction(boolean waitForDisk, BatchedWork<I, T> kind, I item) throws SQLException {
    return await(new Pending<>(kind, item, waitForDisk));
  }

  private <T> T await(Pending<T> pending) throws SQLException {
    if (closed) {
      throw stopping();
    }
    queue.add(pending);
    if (closed && !writer.isAlive() && queue.remove(pending)) {
      throw stopping(); // added after the writer's last look at the queue
    }
    try {
      return pending.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // The work may still commit; the caller reports failure, and a retry with its key finds the record.
      throw new SQLException("interrupted while waiting for the shared commit", "57014", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException sql) {
        throw sql;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new SQLException(cause);
    }
  }

  private void writeLoop() {
    List<Pending<?>> batch = new ArrayList<>(maxBatch);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        commit(batch);
      } catch (InterruptedException e) {
        break;
      } catch (Throwable unexpected) { // the writer must outlive any one batch
        log.error("group commit batch failed unexpectedly size={}", batch.size(), unexpected);
        batch.forEach(p -> p.result.completeExceptionally(unexpected));
      } finally {
        batch.clear();
      }
    }
    SQLException stopping = stopping();
    for (Pending<?> left; (left = queue.poll()) != null; ) {
      left.result.completeExceptionally(stopping);
    }
  }

  private void commit(List<Pending<?>> batch) {
    if (batch.size() == 1) {
      runAlone(batch.get(0));
      return;
    }
    Object[] results = new Object[batch.size()];
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (batch.stream().noneMatch(p -> p.waitForDisk)) {
          Transactions.skipWaitingForDisk(c);
        }
        runAll(c, batch, results);
      } catch (SQLException | RuntimeException workFailed) {
        Transactions.rollbackQuietly(c, workFailed);
        if (connectionLost(c, workFailed)) {
          batch.forEach(p -> p.result.completeExceptionally(workFailed));
        } else {
          batch.forEach(this::runAlone); // one caller's refusal must not fail the others
        }
        return;
      }
      try {
        c.commit();
      } catch (SQLException commitFailed) {
        Transactions.rollbackQuietly(c, commitFailed);
        batch.forEach(p -> p.result.completeExceptionally(commitFailed));
        return;
      }
    } catch (SQLException noConnection) {
      batch.forEach(p -> p.result.completeExceptionally(noConnection));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(results[i]);
    }
  }

  /** Each plain work in turn, then each batched kind's items with one {@link BatchedWork#applyEach}. */
  private static void runAll(Connection c, List<Pending<?>> batch, Object[] results) throws SQLException {
    Map<BatchedWork<Object, ?>, List<Integer>> byKind = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending<?> p = batch.get(i);
      if (p.kind == null) {
        results[i] = p.work.apply(c);
      } else {
        byKind.computeIfAbsent(p.kind, k -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<BatchedWork<Object, ?>, List<Integer>> kind : byKind.entrySet()) {
      List<Integer> at = kind.getValue();
      List<?> out = kind.getKey().applyEach(c, at.stream().map(i -> batch.get(i).item).toList());
      for (int j = 0; j < at.size(); j++) {
        results[at.get(j)] = out.get(j);
      }
    }
  }

  private <T> void runAlone(Pending<T> p) {
    try {
      p.result.complete(alone.inTransaction(p.waitForDisk, p.work));
    } catch (SQLException | RuntimeException e) {
      p.result.completeExceptionally(e);
    }
  }

  /** SQLSTATE class 08 (connection exception), or a connection the driver has closed. */
  private static boolean connectionLost(Connection c, Exception e) {
    if (e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
      return true;
    }
    try {
      return c.isClosed();
    } catch (SQLException closedCheckFailed) {
      return true;
    }
  }

  private static SQLException stopping() {
    return new SQLException("the gateway is stopping: nothing more is committed", "57P01");
  }

  /** Records waiting for the writer (tests use it to form a batch). */
  int queued() {
    return queue.size();
  }

  /** Commits what is queued, then refuses more. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
