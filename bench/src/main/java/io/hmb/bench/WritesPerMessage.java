package io.hmb.bench;

import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.admin.TableWrites;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What PostgreSQL writes per message: a fixed number of coverage checks, then of settlements (each stored,
 * delivered to the inbox subscriber and acknowledged), one at a time on a gateway otherwise at rest, with the
 * database's own counters ({@link TableWrites}) read before and after each, the audit chain linked. Rows
 * inserted, updated (of which HOT), deleted and index entries per table, divided by the messages sent, and
 * WAL bytes per message. The counts are exact for a given schema and code (WritesPerMessageTest pins them);
 * WAL bytes move with checkpoints (full-page images) and are only indicative.
 */
final class WritesPerMessage {
  static final String COVERAGE = "coverage-check";
  static final String SETTLEMENT = "settlement-delivered";
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final long DRAIN_TIMEOUT_MS = 60_000;

  /** One table's writes per message. */
  record Row(String table, double inserted, double updated, double hotUpdated, double deleted, double indexEntries) {
    double rowsWritten() {
      return inserted + updated + deleted;
    }
  }

  /** One message type: per table (those it wrote to), the sum over them, and WAL bytes per message. */
  record Result(String messageType, int messages, List<Row> tables, Row total, double walBytesPerMessage,
      Map<String, TableWrites.Table> counted) {}

  private WritesPerMessage() {}

  /** Both message types, {@code messages} of each, one call at a time. */
  static List<Result> measure(Scenarios run, GatewayAdmin admin, InboxSubscriber inbox, int messages)
      throws Exception {
    List<Result> out = new ArrayList<>();
    out.add(measure(COVERAGE, admin, messages, coverageChecks(run, messages)));
    out.add(measure(SETTLEMENT, admin, messages, settlementsDelivered(run, inbox, messages)));
    return out;
  }

  /** {@code messages} coverage checks, one at a time (also what StatementsPerMessage counts around). */
  static Work coverageChecks(Scenarios run, int messages) {
    return () -> {
      for (int i = 0; i < messages; i++) {
        run.coverageCheck();
      }
    };
  }

  /** {@code messages} settlements one at a time, then until the inbox subscriber has acknowledged them all. */
  static Work settlementsDelivered(Scenarios run, InboxSubscriber inbox, int messages) {
    return () -> {
      for (int i = 0; i < messages; i++) {
        run.submitSettlement();
      }
      if (inbox.awaitDrained(DRAIN_TIMEOUT_MS) < 0) {
        throw new IllegalStateException(inbox.pendingCount() + " settlements not delivered and acknowledged within "
            + DRAIN_TIMEOUT_MS + " ms");
      }
    };
  }

  interface Work {
    void run() throws Exception;
  }

  static Result measure(String messageType, GatewayAdmin admin, int messages, Work work) throws Exception {
    TableWrites before = admin.tableWrites(SETTLE);
    work.run();
    TableWrites written = admin.tableWrites(SETTLE).since(before);
    return of(messageType, messages, written);
  }

  static Result of(String messageType, int messages, TableWrites written) {
    List<Row> rows = new ArrayList<>();
    double ins = 0;
    double upd = 0;
    double hot = 0;
    double del = 0;
    double idx = 0;
    for (var e : written.tables().entrySet()) {
      TableWrites.Table t = e.getValue();
      if (t.rowsWritten() == 0) {
        continue;
      }
      rows.add(new Row(e.getKey(), per(t.inserted(), messages), per(t.updated(), messages),
          per(t.hotUpdated(), messages), per(t.deleted(), messages), per(t.indexEntries(), messages)));
      ins += t.inserted();
      upd += t.updated();
      hot += t.hotUpdated();
      del += t.deleted();
      idx += t.indexEntries();
    }
    Row total = new Row("all", per(ins, messages), per(upd, messages), per(hot, messages), per(del, messages),
        per(idx, messages));
    return new Result(messageType, messages, rows, total, per(written.walBytes(), messages), written.tables());
  }

  private static double per(double count, int messages) {
    return Math.round(count / messages * 100) / 100.0;
  }

  static void print(PrintWriter w, List<Result> results) {
    w.println();
    w.printf("== writes per message (PostgreSQL's counters around %d calls of each, one at a time, audit chain "
        + "linked; index entries = (inserted + non-HOT updated) x the table's indexes)%n",
        results.isEmpty() ? 0 : results.get(0).messages());
    w.printf("%-21s %-16s %9s %9s %12s %9s %13s%n", "message type", "table", "inserted", "updated", "of which HOT",
        "deleted", "index entries");
    for (Result r : results) {
      for (Row t : r.tables()) {
        printRow(w, r.messageType(), t);
      }
      printRow(w, r.messageType(), r.total());
      w.printf("%-21s %-16s %.0f bytes per message%n", r.messageType(), "WAL", r.walBytesPerMessage());
    }
    w.flush();
  }

  private static void printRow(PrintWriter w, String type, Row t) {
    w.printf("%-21s %-16s %9.2f %9.2f %12.2f %9.2f %13.2f%n", type, t.table(), t.inserted(), t.updated(),
        t.hotUpdated(), t.deleted(), t.indexEntries());
  }
}
