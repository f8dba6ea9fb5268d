package io.hmb.conformance.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ConformanceRunnerTest {
  @TempDir Path dir;

  /** A context that records exchanges, as the real one does. */
  static final class Ctx {
    final List<CaseResult.Exchange> exchanges = new ArrayList<>();
  }

  List<CaseResult> runSample() {
    Map<ConformanceCase, CaseBody<Ctx>> bodies = Map.of(
        ConformanceCase.CRYPTO_SM3_VECTORS, ctx -> ctx.exchanges.add(
            new CaseResult.Exchange("local", "SM3(abc)", "66c7f0f4...", Duration.ofMillis(1))),
        ConformanceCase.ENVELOPE_EXPIRED, ctx -> {
          throw new AssertionError("expected EXPIRED, got OK");
        },
        ConformanceCase.ENVELOPE_OVERSIZED, ctx -> {
          throw new CaseBody.Skip("target has no size limit configured");
        },
        // A body that outlasts the 300 ms time limit by far: a duration the case must exceed, not synchronisation.
        ConformanceCase.ENVELOPE_REPLAYED, ctx -> Thread.sleep(10_000));
    var runner = new ConformanceRunner<>(bodies, Duration.ofMillis(300));
    List<CaseResult> seen = new ArrayList<>();
    List<CaseResult> results = runner.run(List.of(ConformanceCase.CRYPTO_SM3_VECTORS, ConformanceCase.ENVELOPE_EXPIRED,
        ConformanceCase.ENVELOPE_OVERSIZED, ConformanceCase.ENVELOPE_REPLAYED, ConformanceCase.ENVELOPE_WRONG_RPC),
        Ctx::new, ctx -> ctx.exchanges, seen::add);
    assertThat(seen).isEqualTo(results);
    return results;
  }

  @Test
  void everyEndingBecomesAResult() {
    List<CaseResult> r = runSample();
    assertThat(r).extracting(CaseResult::outcome).containsExactly(CaseResult.Outcome.PASSED,
        CaseResult.Outcome.FAILED, CaseResult.Outcome.SKIPPED, CaseResult.Outcome.FAILED, CaseResult.Outcome.SKIPPED);
    assertThat(r.get(0).exchanges()).hasSize(1);
    assertThat(r.get(1).message()).isEqualTo("expected EXPIRED, got OK");
    assertThat(r.get(2).message()).isEqualTo("target has no size limit configured");
    assertThat(r.get(3).message()).isEqualTo("no result within 0 s");
    assertThat(r.get(4).message()).isEqualTo("not implemented by this suite version");
    assertThat(Summary.of(r).closingLine()).isEqualTo("1 passed, 2 failed, 2 skipped");
  }

  @Test
  void reportsAreWrittenAndWellFormed() throws Exception {
    List<CaseResult> r = runSample();
    JUnitXmlReport.write(r, dir.resolve("junit.xml"));
    HtmlReport.write(r, "localhost:7443", "BUREAU", dir.resolve("report.html"));
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("junit.xml").toFile());
    assertThat(xml.getDocumentElement().getAttribute("tests")).isEqualTo("5");
    assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("2");
    assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(5);
    String html = Files.readString(dir.resolve("report.html"));
    assertThat(html).contains("1 passed, 2 failed, 2 skipped").contains("envelope_expired").contains("expected EXPIRED, got OK");
  }

  @Test
  void idsAreStableSnakeCaseAndLookedUpCaseInsensitively() {
    for (ConformanceCase c : ConformanceCase.values()) {
      assertThat(c.id()).matches("[a-z0-9_]+");
      assertThat(ConformanceCase.fromId(c.id().toUpperCase(java.util.Locale.ROOT))).isEqualTo(c);
    }
    assertThatThrownBy(() -> ConformanceCase.fromId("no_such_case"))
        .hasMessage("no conformance case 'no_such_case'; run with --list to see the ids");
  }
}
