package io.hmb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hmb bench --pg-statements}: on a gateway whose embedded PostgreSQL loads pg_stat_statements, a few
 * coverage checks give a table of statements per message in which the message's INSERT and its audit events'
 * INSERT appear with calls, and no statement carries a value. (That the default gateway does not load it is
 * WritesPerMessageTest's.)
 */
class StatementsPerMessageTest {
  static final int MESSAGES = 8;

  @TempDir Path dataDir;

  @Test
  void aFewCoverageChecksShowTheirInsertsPerMessage() throws Exception {
    StatementsPerMessage.Result r;
    StringWriter printed = new StringWriter();
    try (BenchRig rig = BenchRig.start(dataDir, false, true, true)) {
      Scenarios run = Scenarios.gatewayOnly(rig.clients(), new ResourceMeter(rig.postgresDataDir()));
      run.coverageCheck(); // the first call's one-off statements (registry cache, prepared plans) are not counted
      r = StatementsPerMessage.measure(WritesPerMessage.COVERAGE, rig.gateway.admin(), MESSAGES,
          WritesPerMessage.coverageChecks(run, MESSAGES));
    }
    StatementsPerMessage.print(new PrintWriter(printed),
        new StatementsPerMessage.Measured(java.util.Optional.empty(), List.of(r)));
    String table = printed.toString();
    List<StatementsPerMessage.Row> rows = r.statements();
    // The admission and the answer, each one statement with its audit event, for all of a group-commit batch
    // (store/Admissions, store/Answers).
    assertThat(rows).as(table).anySatisfy(s -> {
      assertThat(s.statement()).startsWith("WITH change AS (INSERT INTO message(");
      assertThat(s.topLevel()).isTrue();
      assertThat(s.calls()).isGreaterThan(0);
    });
    assertThat(rows).as(table).anySatisfy(s -> {
      assertThat(s.statement()).startsWith("WITH answer AS (SELECT * FROM unnest(");
      assertThat(s.calls()).isGreaterThan(0);
    });
    // Sorted by time, most first; the shares of the top-level statements add up to the whole.
    assertThat(rows).as(table).isSortedAccordingTo((a, b) -> Double.compare(b.timeMs(), a.timeMs()));
    assertThat(rows.stream().filter(StatementsPerMessage.Row::topLevel).mapToDouble(StatementsPerMessage.Row::share)
        .sum()).as(table).isBetween(0.999, 1.001);
    assertThat(r.total().calls()).as(table).isGreaterThanOrEqualTo(2);
    assertThat(r.total().execMs()).as(table).isGreaterThan(0);
    // Placeholders only: no quoted literal, no parameter number, at most 100 characters.
    assertThat(rows).as(table).allSatisfy(s -> {
      assertThat(s.statement().replace("'?'", "")).doesNotContain("'").doesNotContainPattern("\\$\\d");
      assertThat(s.statement().length()).isLessThanOrEqualTo(StatementsPerMessage.TEXT_CHARS);
    });
    assertThat(table).contains("coverage-check").contains("INSERT INTO message(");
  }
}
