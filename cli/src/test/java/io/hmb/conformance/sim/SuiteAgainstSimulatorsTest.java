package io.hmb.conformance.sim;

import io.hmb.cli.demo.DemoNetwork;
import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.api.v1.ErrorReason;
import io.hmb.conformance.ConformanceCommand;
import io.hmb.conformance.suite.ConformanceCase;
import io.hmb.conformance.suite.ReasonCoverage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The conformance suite, run as an integrator runs it (./hmb conformance), against a real gateway with
 * the reference simulators behind it: every case passes for each role in a healthy city, and the case
 * that checks one-stop quotes fails against an insurer whose payouts are wrong.
 */
class SuiteAgainstSimulatorsTest {
  @TempDir static Path dataDir;
  @TempDir static Path reports;
  static DemoNetwork net;

  @BeforeAll
  static void start() throws Exception {
    net = DemoNetwork.start(dataDir);
    BusinessDay dalianDay = new BusinessDay(LocalDate.of(2025, 12, 1));
    BureauSimulator bureau = BureauSimulator.builder(net.connect("BUREAU-210200"), Population.generate("210200", 20, 7))
        .businessDay(dalianDay).build();
    InsurerSimulator lead = InsurerSimulator.builder(net.connect("INSURER-LEAD-210200"), "210200")
        .businessDay(dalianDay).build();
    net.serveRegistered(bureau.code(), bureau.endpoint());
    net.serveRegistered(lead.code(), lead.endpoint());

    CityProfile wuwei = CityProfile.of("620600");
    BusinessDay wuweiDay = new BusinessDay(wuwei.enrolmentDay());
    BureauSimulator wuweiBureau = BureauSimulator.builder(net.connect("BUREAU-620600"), Population.generate("620600", 4, 3))
        .businessDay(wuweiDay).build();
    InsurerSimulator wrongPayouts = InsurerSimulator.builder(net.connect("INSURER-LEAD-620600"), "620600")
        .businessDay(wuweiDay).flaw(Flaw.WRONG_PAYOUT).build();
    net.serveRegistered(wuweiBureau.code(), wuweiBureau.endpoint());
    net.serveRegistered(wrongPayouts.code(), wrongPayouts.endpoint());
    // The test person an integrator agrees with the insurer under test: enrolled in the product.
    wuweiEnrolled = wuweiBureau.population().residents().get(0);
    EnrolmentOutcome enrolled = wrongPayouts.enrol(Application.cash(wuweiEnrolled, "wuwei-2025-basic"));
    assertThat(enrolled.enrolled()).as(enrolled.refusal().orElse("")).isTrue();
    wuweiDay.set(wuwei.careDay());
  }

  static Resident wuweiEnrolled;

  @AfterAll
  static void stop() throws Exception {
    net.close();
  }

  record Run(int exit, String out) {}

  static Run conformance(String participant, String role, String... extra) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new ConformanceCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of(
        "--target", "localhost:" + net.gateway().port(), "--as", role, "--keys", net.keys().resolve(participant).toString(),
        "--benefit-cases", "../conformance/cases/benefit", "--report", reports.resolve(participant).toString()),
        java.util.Arrays.stream(extra)).toArray(String[]::new);
    return new Run(cl.execute(args), out.toString());
  }

  @Test
  void everyCasePassesAsBureauHospitalAndInsurerOfAHealthyCity() throws Exception {
    StringBuilder all = new StringBuilder();
    for (String[] as : new String[][] {{"BUREAU-210200", "BUREAU"}, {"HOSPITAL-210200-01", "HOSPITAL"},
        {"INSURER-LEAD-210200", "INSURER"}}) {
      Run run = conformance(as[0], as[1]);
      all.append(run.out());
      // The fixtures are there (serve --demo seeds them), so nothing may be skipped for want of one.
      assertThat(run.out()).as(run.out()).contains(" passed, 0 failed").doesNotContain("FAILED").doesNotContain("SKIPPED");
      assertThat(run.exit()).as(run.out()).isZero();
      assertThat(Files.readString(reports.resolve(as[0]).resolve("junit.xml"))).contains("failures=\"0\"");
      assertThat(Files.readString(reports.resolve(as[0]).resolve("report.html"))).contains("0 failed");
    }
    // Every documented reason a client can provoke through a gateway was shown by some role's run.
    for (ErrorReason reason : ReasonCoverage.documented()) {
      ReasonCoverage.caseFor(reason).filter(c -> c.mode() == ConformanceCase.Mode.GATEWAY).ifPresent(c ->
          assertThat(all.toString()).as("%s (%s)", c.id(), reason).containsPattern("PASSED +" + c.id() + " "));
    }
  }

  @Test
  void theQuoteCaseFailsAgainstAnInsurerWhosePayoutsAreWrong() {
    Run run = conformance("BUREAU-620600", "BUREAU", "--case", "benefit_quote_answered,coverage_query_answered",
        "--person", wuweiEnrolled.certNumber() + ":" + wuweiEnrolled.name());
    assertThat(run.exit()).as(run.out()).isEqualTo(1);
    // Caught for the flaw itself, on a claim that is due a payout: 100 fen more than its liabilities, not a refused call.
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("FAILED +benefit_quote_answered .*- liability payouts sum "
        + "to (\\d+) fen but payout_fen is (\\d+)").matcher(run.out());
    assertThat(m.find()).as(run.out()).isTrue();
    assertThat(Long.parseLong(m.group(1))).as(run.out()).isPositive();
    assertThat(Long.parseLong(m.group(2)) - Long.parseLong(m.group(1))).isEqualTo(Flaw.WRONG_PAYOUT_DELTA_FEN);
    assertThat(run.out()).contains("1 passed, 1 failed");
  }
}
