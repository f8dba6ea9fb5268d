package io.hmb.conformance.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  static CaseResult result(String id, Capability group, CaseResult.Outcome outcome, String message) {
    return new CaseResult(id, group, "checks " + id, "requirement", outcome, message, Duration.ofMillis(3), List.of());
  }

  @Test
  void failuresComeFirstThenSkipsEachLinkedToItsRow(@TempDir Path dir) throws Exception {
    Capability[] groups = Capability.values();
    List<CaseResult> results = List.of(
        result("a_passes", groups[0], CaseResult.Outcome.PASSED, ""),
        result("b_skipped", groups[0], CaseResult.Outcome.SKIPPED, "needs FIXTURE-X"),
        result("c_fails", groups[groups.length - 1], CaseResult.Outcome.FAILED, "payout 100 fen too high"));
    Path file = dir.resolve("report.html");
    HtmlReport.write(results, "localhost:7443", "BUREAU", file);
    String html = Files.readString(file);

    int failed = html.indexOf("<h2 class=\"FAILED\">Failed: 1</h2>");
    int skipped = html.indexOf("<h2 class=\"SKIPPED\">");
    int firstGroup = html.indexOf("<table>");
    assertThat(failed).isPositive().isLessThan(skipped);
    assertThat(skipped).isLessThan(firstGroup);
    assertThat(html.substring(failed, skipped)).contains("href=\"#c_fails\"", "payout 100 fen too high")
        .doesNotContain("a_passes");
    assertThat(html).contains("<tr id=\"c_fails\">", "1 passed, 1 failed, 1 skipped");
  }

  @Test
  void aCleanRunHasNoAttentionList(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.html");
    HtmlReport.write(List.of(result("a_passes", Capability.values()[0], CaseResult.Outcome.PASSED, "")), "t", "BUREAU", file);
    assertThat(Files.readString(file)).doesNotContain("class=\"FAILED\"").doesNotContain("class=\"SKIPPED\">");
  }
}
