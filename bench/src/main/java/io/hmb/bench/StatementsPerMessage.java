package io.hmb.bench;

import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.admin.StatementTimes;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which statements PostgreSQL spends its time on per message ({@code ./hmb bench --pg-statements}): the same
 * calls as {@link WritesPerMessage} (a fixed number of coverage checks, then of settlements delivered and
 * acknowledged, one at a time on a gateway otherwise at rest, each after as many unmeasured), with
 * pg_stat_statements' counters
 * ({@link StatementTimes}) read before and after each, the audit chain linked. Per statement: calls, execution
 * and planning time, rows, divided by the messages sent, sorted by time, and the sum over the statements the
 * gateway sent (those a function ran are inside their caller's time, so only shown). The times are wall time
 * in PostgreSQL's executor and planner (lock waits included; not a transaction's commit and its WAL flush, which
 * happen after the COMMIT statement has ended), noisy on a shared machine; the calls are exact and the shares
 * compare. Background work (the audit chainer, delivery polling,
 * checkpoint signing) counts too, as it does per message in service; one call at a time it batches least.
 */
final class StatementsPerMessage {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  /** Statements printed per message type; the rest are summed in one line. */
  static final int PRINTED = 20;
  /** Longest statement text printed (the normalised text, no values). */
  static final int TEXT_CHARS = 100;

  /**
   * One statement per message.
   *
   * @param statement its normalised text, at most {@link #TEXT_CHARS} characters
   * @param topLevel sent by the gateway (else run by a function, its time inside its caller's)
   * @param share of the top-level time (execution and planning) of this message type
   */
  record Row(String statement, boolean topLevel, double calls, double plans, double execMs, double planMs,
      double rows, double share) {
    double timeMs() {
      return execMs + planMs;
    }
  }

  /** One message type: its statements by time, most first, and the sum over the top-level ones. */
  record Result(String messageType, int messages, List<Row> statements, Row total) {}

  /** Both message types, or why there are none ({@code unavailable}). */
  record Measured(Optional<String> unavailable, List<Result> results) {}

  private StatementsPerMessage() {}

  /** Both message types, {@code messages} of each, one call at a time. */
  static Measured measure(Scenarios run, GatewayAdmin admin, InboxSubscriber inbox, int messages) throws Exception {
    StatementTimes probe = admin.statementTimes(SETTLE);
    if (!probe.available()) {
      return new Measured(probe.unavailable(), List.of());
    }
    List<Result> out = new ArrayList<>();
    out.add(measure(WritesPerMessage.COVERAGE, admin, messages, WritesPerMessage.coverageChecks(run, messages)));
    out.add(measure(WritesPerMessage.SETTLEMENT, admin, messages,
        WritesPerMessage.settlementsDelivered(run, inbox, messages)));
    return new Measured(Optional.empty(), out);
  }

  /**
   * {@code work} once unmeasured, then counted. The warm-up matters: a connection new to the pool (the writes
   * count replaces them all) plans every statement it runs until pgjdbc has prepared it (its 5th execution) and
   * PostgreSQL has chosen between a custom and the generic plan (5 more), which cold would show planning as
   * the larger part of the time; warm, what remains is what a serving gateway plans.
   */
  static Result measure(String messageType, GatewayAdmin admin, int messages, WritesPerMessage.Work work)
      throws Exception {
    work.run();
    StatementTimes before = admin.statementTimes(SETTLE);
    work.run();
    StatementTimes done = admin.statementTimes(SETTLE).since(before);
    if (!done.available()) {
      throw new IllegalStateException("pg_stat_statements unavailable: " + done.unavailable().orElse(""));
    }
    return of(messageType, messages, done);
  }

  static Result of(String messageType, int messages, StatementTimes done) {
    double topMs = done.statements().entrySet().stream().filter(e -> e.getKey().topLevel())
        .mapToDouble(e -> e.getValue().execMs() + e.getValue().planMs()).sum();
    List<Row> rows = new ArrayList<>();
    long calls = 0;
    long plans = 0;
    double exec = 0;
    double plan = 0;
    long returned = 0;
    for (var e : done.statements().entrySet()) {
      StatementTimes.Statement s = e.getValue();
      rows.add(new Row(truncate(e.getKey().query()), e.getKey().topLevel(), per(s.calls(), messages),
          per(s.plans(), messages), per(s.execMs(), messages), per(s.planMs(), messages), per(s.rows(), messages),
          topMs > 0 ? (s.execMs() + s.planMs()) / topMs : 0));
      if (e.getKey().topLevel()) {
        calls += s.calls();
        plans += s.plans();
        exec += s.execMs();
        plan += s.planMs();
        returned += s.rows();
      }
    }
    rows.sort(Comparator.comparingDouble(Row::timeMs).reversed().thenComparing(Row::statement));
    Row total = new Row("all statements the gateway sent", true, per(calls, messages), per(plans, messages),
        per(exec, messages),
        per(plan, messages), per(returned, messages), 1);
    return new Result(messageType, messages, List.copyOf(rows), total);
  }

  private static String truncate(String text) {
    return text.length() <= TEXT_CHARS ? text : text.substring(0, TEXT_CHARS - 3) + "...";
  }

  private static double per(double count, int messages) {
    return Math.round(count / messages * 10_000) / 10_000.0;
  }

  static void print(PrintWriter w, Measured measured) {
    w.println();
    if (measured.unavailable().isPresent()) {
      w.println("== statements per message: pg_stat_statements unavailable (" + measured.unavailable().get() + ")");
      w.flush();
      return;
    }
    List<Result> results = measured.results();
    w.printf("== statements per message (pg_stat_statements around %d calls of each, one at a time, audit chain "
        + "linked, after as many unmeasured; ms per message = wall time in PostgreSQL's executor and planner, lock waits "
        + "included, commits and their WAL flush not: noisy on a shared machine, shares less so; * = run by a "
        + "function, inside its caller's time)%n",
        results.isEmpty() ? 0 : results.get(0).messages());
    w.printf("%-21s %7s %7s %8s %8s %6s %6s  %s%n", "message type", "calls", "plans", "exec ms", "plan ms", "rows",
        "share", "statement");
    for (Result r : results) {
      List<Row> rows = r.statements();
      for (Row s : rows.subList(0, Math.min(PRINTED, rows.size()))) {
        printRow(w, r.messageType(), s);
      }
      if (rows.size() > PRINTED) {
        List<Row> rest = rows.subList(PRINTED, rows.size());
        double calls = rest.stream().filter(Row::topLevel).mapToDouble(Row::calls).sum();
        double plans = rest.stream().filter(Row::topLevel).mapToDouble(Row::plans).sum();
        double exec = rest.stream().filter(Row::topLevel).mapToDouble(Row::execMs).sum();
        double plan = rest.stream().filter(Row::topLevel).mapToDouble(Row::planMs).sum();
        double share = rest.stream().filter(Row::topLevel).mapToDouble(Row::share).sum();
        printRow(w, r.messageType(), new Row("(" + rest.size() + " more statements)", true, calls, plans, exec, plan,
            0, share));
      }
      printRow(w, r.messageType(), r.total());
    }
    w.flush();
  }

  private static void printRow(PrintWriter w, String type, Row s) {
    w.printf("%-21s %7.3f %7.3f %8.4f %8.4f %6.2f %5.1f%%  %s%s%n", type, s.calls(), s.plans(), s.execMs(),
        s.planMs(), s.rows(), s.share() * 100, s.topLevel() ? "" : "* ", s.statement());
  }
}
