package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenefitCommandTest {
  static final Path CASES = Path.of("../conformance/cases/benefit");
  static final Path WORKED = CASES.resolve("dalian-2025-upgrade-01-worked-example.json");

  record Run(int exit, String out) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cmd = new CommandLine(new BenefitCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(new StringWriter()));
    return new Run(cmd.execute(args), out.toString());
  }

  @Test
  void checkPassesTheWholeFolder() throws Exception {
    long files;
    try (var s = Files.list(CASES)) {
      files = s.filter(p -> p.toString().endsWith(".json")).count();
    }
    Run r = run("check", CASES.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("PASS dalian-2025-upgrade-01-worked-example.json: ");
    assertThat(r.out().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo(files + " passed, 0 failed");
  }

  @Test
  void checkReportsAWrongExpectationWithExpectedActualAndTraceAndExitsNonZero(@TempDir Path dir) throws Exception {
    String wrong = Files.readString(WORKED).replace("\"payout_fen\": 1680000", "\"payout_fen\": 1680001");
    Files.writeString(dir.resolve("wrong.json"), wrong);
    Files.writeString(dir.resolve("broken.json"), "{\"name\": \"no product\"}");
    Run r = run("check", dir.toString(), WORKED.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("FAIL wrong.json: ")
        .contains("claim wang payout: expected 1680001 fen, actual 1680000 fen")
        .contains("[hospital] deductible hospital 12000.00, met before 0.00, applied 12000.00")
        .contains("FAIL broken.json: not a case file: ")
        .contains("PASS dalian-2025-upgrade-01-worked-example.json");
    assertThat(r.out().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("1 passed, 2 failed");
  }

  @Test
  void quotePrintsTheFullBreakdownAsJson() throws Exception {
    Run r = run("quote", WORKED.toString());
    assertThat(r.exit()).isZero();
    var json = new ObjectMapper().readTree(r.out());
    var claim = json.get("steps").get(0);
    assertThat(claim.get("payout_fen").asLong()).isEqualTo(1_680_000L);
    var hospital = claim.get("liabilities").get(0);
    assertThat(hospital.get("covered_fen").asLong()).isEqualTo(4_000_000L);
    assertThat(hospital.get("deductible_applied_fen").asLong()).isEqualTo(1_200_000L);
    assertThat(hospital.get("ratio_bp").asInt()).isEqualTo(6000);
    assertThat(hospital.get("cap_fen").asLong()).isEqualTo(100_000_000L);
    assertThat(hospital.get("clause").asText()).contains("【责任一】");
    assertThat(json.get("year").get("room").get(0).get("cap_remaining_fen").asLong()).isEqualTo(100_000_000L - 1_680_000L);
  }

  @Test
  void quoteShowsEveryBandOfAProgressiveClaim() throws Exception {
    Run r = run("quote", CASES.resolve("wuwei-2025-basic-01-bands-within-one-claim.json").toString());
    var bands = new ObjectMapper().readTree(r.out()).get("steps").get(0).get("liabilities").get(0).get("bands");
    assertThat(bands).hasSize(3);
    assertThat(bands.get(2).get("amount_fen").asLong()).isEqualTo(1_000_000L);
    assertThat(bands.get(2).get("ratio_bp").asInt()).isEqualTo(5000);
  }

  @Test
  void noSubcommandPrintsUsageAndAMissingFileFails() {
    assertThat(run().exit()).isZero();
    Run r = run("check", "does-not-exist.json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("0 passed, 1 failed");
  }
}
