package io.hmb.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The whole bench in its --quick form, two rounds: a real gateway, every scenario, the medians, the JSON and the chart. */
class BenchCommandTest {
  @TempDir Path out;

  @Test
  void quickRunMeasuresEveryScenarioInEachRoundAndJudgesTheAimsOnTheMedians() throws Exception {
    StringWriter printed = new StringWriter();
    int exit = new CommandLine(new BenchCommand()).setOut(new PrintWriter(printed))
        .execute("--quick", "--repeat", "2", "--out", out.toString());

    assertThat(exit).as(printed.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.resolve(BenchCommand.JSON_FILE).toFile());
    assertThat(report.get("errors").asLong()).as(printed.toString()).isZero();
    assertThat(report.get("commandLine").asText()).isEqualTo("hmb bench --quick --repeat 2 --out " + out);
    assertThat(report.get("settings").get("repeat").asInt()).isEqualTo(2);
    // pg_stat_statements only with --pg-statements
    assertThat(report.get("settings").get("pgStatements").asBoolean()).isFalse();
    assertThat(report.has("statementsPerMessage")).isFalse();
    assertThat(printed.toString()).doesNotContain("statements per message");
    assertThat(report.get("rounds")).hasSize(2);
    for (JsonNode round : report.get("rounds")) {
      assertEveryScenarioMeasured(round, Instant.parse(report.get("startedAt").asText()));
    }
    Set<String> medianRows = new TreeSet<>();
    for (JsonNode row : report.get("medians")) {
      medianRows.add(row.get("scenario").asText());
      assertThat(row.get("rounds").asInt()).as(row.toString()).isEqualTo(2);
    }
    assertThat(medianRows).containsExactlyInAnyOrder(Scenarios.BASELINE, Scenarios.COVERAGE_CEILING,
        Scenarios.SETTLEMENT_CEILING, Scenarios.COVERAGE, Scenarios.COVERAGE_PACED, Scenarios.SETTLEMENT);
    assertThat(report.get("aims")).hasSize(7);
    assertThat(report.get("machine").get("cores").asInt()).isPositive();
    assertThat(Files.readString(out.resolve(BenchCommand.SVG_FILE))).startsWith("<svg").contains("coverage check");
    assertThat(printed.toString()).contains("medians over 2 rounds").contains("settlement's crypto ceiling")
        .contains("aims:").contains("of their same-run crypto ceiling per CPU-second (median of 2)")
        .contains("    tail over time: ");
  }

  /**
   * One round of a run started at {@code startedAt}: every scenario, no errors, and each gateway step's ratio taken
   * against its own ceiling.
   */
  private static void assertEveryScenarioMeasured(JsonNode round, Instant startedAt) {
    Set<String> scenarios = new TreeSet<>();
    for (JsonNode step : round.get("steps")) {
      scenarios.add(step.get("scenario").asText());
      assertThat(step.get("throughput").asDouble()).as(step.toString()).isPositive();
      assertThat(step.get("errors").asLong()).as(step.toString()).isZero();
    }
    assertThat(scenarios).containsExactlyInAnyOrder(Scenarios.BASELINE, Scenarios.COVERAGE_CEILING,
        Scenarios.SETTLEMENT_CEILING, Scenarios.COVERAGE, Scenarios.COVERAGE_PACED, Scenarios.SETTLEMENT);
    double coverageCeiling = round.get("ceilings").get("coverageCheck").get("perSecond").asDouble();
    double settlementCeiling = round.get("ceilings").get("settlement").get("perSecond").asDouble();
    assertThat(coverageCeiling).isPositive();
    assertThat(settlementCeiling).isPositive();
    for (JsonNode step : round.get("steps")) {
      String scenario = step.get("scenario").asText();
      double throughput = step.get("throughput").asDouble();
      if (scenario.equals(Scenarios.SETTLEMENT)) {
        assertThat(step.get("settlement").get("undelivered").asLong()).isZero();
        assertThat(step.get("settlement").get("duplicates").asLong()).isZero();
        assertThat(step.get("settlement").get("subscriberErrors").asLong()).as("every delivery opened").isZero();
        assertThat(step.get("settlement").get("drainMs").asDouble()).isNotNegative();
        assertThat(step.get("ratioToCeiling").asDouble()).isCloseTo(throughput / settlementCeiling, within(0.001));
      }
      if (scenario.equals(Scenarios.COVERAGE_PACED)) {
        // when its slowest calls were due: as many as 1% of the calls, in windows the step spans
        JsonNode tail = step.get("tail");
        assertThat(tail).as(step.toString()).isNotNull();
        assertThat(tail.get("windows").asInt()).isPositive();
        assertThat(tail.get("slowCalls").asLong()).isBetween(0L, step.get("completed").asLong() / 100 + 1);
        assertThat(tail.get("windowsWithSlowCalls").asInt()).isBetween(0, tail.get("windows").asInt());
        // the offsets count from a wall-clock time, to be laid against other clocks: inside this test's run
        assertThat(Instant.parse(tail.get("measuredFrom").asText())).isBetween(startedAt, Instant.now());
      } else {
        assertThat(step.has("tail")).as(step.toString()).isFalse();
      }
      if (scenario.equals(Scenarios.COVERAGE)) {
        assertThat(step.get("ratioToBaseline").asDouble()).isPositive();
        assertThat(step.get("ratioToCeiling").asDouble()).isCloseTo(throughput / coverageCeiling, within(0.001));
      }
    }
  }

  @Test
  void twoNodesRefuseTheOneNodeOnlySoakBeforeStartingAnything() {
    StringWriter errors = new StringWriter();
    int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(errors))
        .execute("--nodes", "2", "--soak", "1m", "--out", out.resolve("unused").toString());

    assertThat(exit).isNotZero();
    assertThat(errors.toString()).contains("--soak, --profile and --repeat apply to one node only");
    assertThat(out.resolve("unused")).doesNotExist();
  }

  @Test
  void aRepeatBelowOneIsRefusedBeforeStartingAnything() {
    StringWriter errors = new StringWriter();
    int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(errors))
        .execute("--quick", "--repeat", "0", "--out", out.resolve("unused").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(errors.toString()).contains("--repeat must be at least 1");
    assertThat(out.resolve("unused")).doesNotExist();
  }

  @Test
  void aNegativeJitWarmupIsRefusedBeforeStartingAnything() {
    StringWriter errors = new StringWriter();
    int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(errors))
        .execute("--jit-warmup", "-5s", "--out", out.resolve("unused").toString());

    assertThat(exit).isEqualTo(2);
    assertThat(errors.toString()).contains("--jit-warmup must not be negative");
    assertThat(out.resolve("unused")).doesNotExist();
  }

  @Test
  void aDataDirectoryInUseIsRefusedBeforeStartingAnything() throws Exception {
    Path used = Files.createDirectories(out.resolve("used"));
    Files.writeString(used.resolve("gateway.lock"), "");
    StringWriter errors = new StringWriter();
    int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(errors))
        .execute("--quick", "--data-dir", used.toString(), "--out", out.resolve("unused").toString());

    assertThat(exit).isNotZero();
    assertThat(errors.toString()).contains("is not empty");
    assertThat(out.resolve("unused")).doesNotExist();
  }
}
