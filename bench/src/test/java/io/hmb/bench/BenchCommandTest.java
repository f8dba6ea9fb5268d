package io.hmb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The whole bench in its --quick form: a real gateway, every scenario, the JSON and the chart. */
class BenchCommandTest {
  @TempDir Path out;

  @Test
  void quickRunMeasuresEveryScenarioWithoutErrors() throws Exception {
    StringWriter printed = new StringWriter();
    int exit = new CommandLine(new BenchCommand()).setOut(new PrintWriter(printed))
        .execute("--quick", "--out", out.toString());

    assertThat(exit).as(printed.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.resolve(BenchCommand.JSON_FILE).toFile());
    assertThat(report.get("errors").asLong()).as(printed.toString()).isZero();
    assertThat(report.get("commandLine").asText()).isEqualTo("hmb bench --quick --out " + out);
    Set<String> scenarios = new TreeSet<>();
    for (JsonNode step : report.get("steps")) {
      scenarios.add(step.get("scenario").asText());
      assertThat(step.get("throughput").asDouble()).as(step.toString()).isPositive();
      assertThat(step.get("errors").asLong()).as(step.toString()).isZero();
    }
    assertThat(scenarios).containsExactlyInAnyOrder(Scenarios.BASELINE, Scenarios.CEILING, Scenarios.COVERAGE,
        Scenarios.COVERAGE_PACED, Scenarios.SETTLEMENT);
    for (JsonNode step : report.get("steps")) {
      if (step.get("scenario").asText().equals(Scenarios.SETTLEMENT)) {
        assertThat(step.get("settlement").get("undelivered").asLong()).isZero();
        assertThat(step.get("settlement").get("duplicates").asLong()).isZero();
        assertThat(step.get("settlement").get("drainMs").asDouble()).isNotNegative();
      }
      if (step.get("scenario").asText().equals(Scenarios.COVERAGE)) {
        assertThat(step.get("ratioToBaseline").asDouble()).isPositive();
        assertThat(step.get("ratioToCeiling").asDouble()).isPositive();
      }
    }
    assertThat(report.get("machine").get("cores").asInt()).isPositive();
    assertThat(Files.readString(out.resolve(BenchCommand.SVG_FILE))).startsWith("<svg").contains("coverage check");
    assertThat(printed.toString()).contains("aims:").contains("crypto ceiling");
  }

  @Test
  void twoNodesRefuseTheOneNodeOnlySoakBeforeStartingAnything() {
    StringWriter errors = new StringWriter();
    int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(errors))
        .execute("--nodes", "2", "--soak", "1m", "--out", out.resolve("unused").toString());

    assertThat(exit).isNotZero();
    assertThat(errors.toString()).contains("--soak and --profile apply to one node only");
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
