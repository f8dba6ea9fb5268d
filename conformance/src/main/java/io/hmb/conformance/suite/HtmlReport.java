package io.hmb.conformance.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A self-contained HTML report: first what needs attention (each failed case with its message, then each
 * skipped one with what to set up), then per capability, per case, each exchange's header facts and timing.
 */
public final class HtmlReport {
  private HtmlReport() {}

  public static void write(List<CaseResult> results, String target, String role, Path file) throws IOException {
    Summary total = Summary.of(results);
    StringBuilder html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>hmb conformance report</title><style>")
        .append("body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}")
        .append("td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}")
        .append(".PASSED{color:#17692b}.FAILED{color:#b00020;font-weight:bold}.SKIPPED{color:#777}")
        .append("details{margin:2px 0}code{font-size:12px}</style></head><body>")
        .append("<h1>hmb conformance report</h1><p>Target <code>").append(esc(target)).append("</code>, acting as <b>")
        .append(esc(role)).append("</b>, ").append(Instant.now()).append(". <b>").append(esc(total.closingLine()))
        .append("</b>. Personal data in exchanges is masked.</p>");
    attention(html, results, CaseResult.Outcome.FAILED, "Failed");
    attention(html, results, CaseResult.Outcome.SKIPPED, "Skipped (nothing was checked)");
    Map<Capability, List<CaseResult>> byGroup = results.stream()
        .collect(Collectors.groupingBy(CaseResult::capability, TreeMap::new, Collectors.toList()));
    byGroup.forEach((group, cases) -> {
      html.append("<h2>").append(esc(group.title())).append(" — ").append(esc(Summary.of(cases).closingLine()))
          .append("</h2><table><tr><th>case</th><th>result</th><th>checks</th><th>time</th></tr>");
      for (CaseResult r : cases) {
        html.append("<tr id=\"").append(esc(r.id())).append("\"><td><code>").append(esc(r.id())).append("</code></td><td class=\"").append(r.outcome())
            .append("\">").append(r.outcome()).append(r.message().isEmpty() ? "" : "<br>" + esc(r.message()))
            .append("</td><td>").append(esc(r.description())).append("<br><small>").append(esc(r.requirement()))
            .append("</small>");
        for (CaseResult.Exchange x : r.exchanges()) {
          html.append("<details><summary><code>").append(esc(x.rpc())).append("</code> ")
              .append(String.format(Locale.ROOT, "%.1f ms", x.took().toNanos() / 1e6)).append("</summary><code>")
              .append(esc(x.requestHeader())).append("</code><br><code>").append(esc(x.responseSummary()))
              .append("</code></details>");
        }
        html.append("</td><td>").append(String.format(Locale.ROOT, "%.1f ms", r.duration().toNanos() / 1e6))
            .append("</td></tr>");
      }
      html.append("</table>");
    });
    html.append("</body></html>\n");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, html, StandardCharsets.UTF_8);
  }

  /** The cases with {@code outcome}, each linked to its row, with its message; nothing when there are none. */
  private static void attention(StringBuilder html, List<CaseResult> results, CaseResult.Outcome outcome, String title) {
    List<CaseResult> these = results.stream().filter(r -> r.outcome() == outcome).toList();
    if (these.isEmpty()) {
      return;
    }
    html.append("<h2 class=\"").append(outcome).append("\">").append(esc(title)).append(": ").append(these.size())
        .append("</h2><ul class=\"summary-").append(outcome).append("\">");
    for (CaseResult r : these) {
      html.append("<li><a href=\"#").append(esc(r.id())).append("\"><code>").append(esc(r.id())).append("</code></a>")
          .append(r.message().isEmpty() ? "" : " — " + esc(r.message())).append("</li>");
    }
    html.append("</ul>");
  }

  static String esc(String s) {
    return JUnitXmlReport.escape(s);
  }
}
