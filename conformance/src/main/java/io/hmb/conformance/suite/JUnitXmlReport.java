package io.hmb.conformance.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** JUnit XML (one testsuite per capability), the format CI systems read. */
public final class JUnitXmlReport {
  private JUnitXmlReport() {}

  public static void write(List<CaseResult> results, Path file) throws IOException {
    Map<Capability, List<CaseResult>> byGroup = results.stream()
        .collect(Collectors.groupingBy(CaseResult::capability, TreeMap::new, Collectors.toList()));
    Summary total = Summary.of(results);
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append(String.format(Locale.ROOT, "<testsuites name=\"hmb conformance\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">%n",
            results.size(), total.failed(), total.skipped()));
    byGroup.forEach((group, cases) -> {
      Summary s = Summary.of(cases);
      xml.append(String.format(Locale.ROOT, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">%n",
          escape(group.title()), cases.size(), s.failed(), s.skipped()));
      for (CaseResult r : cases) {
        xml.append(String.format(Locale.ROOT, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\">",
            group.name().toLowerCase(Locale.ROOT), r.id(), r.duration().toNanos() / 1e9));
        switch (r.outcome()) {
          case FAILED -> xml.append("<failure message=\"").append(escape(r.message())).append("\">")
              .append(escape(r.requirement())).append("</failure>");
          case SKIPPED -> xml.append("<skipped message=\"").append(escape(r.message())).append("\"/>");
          default -> { }
        }
        xml.append("</testcase>\n");
      }
      xml.append("  </testsuite>\n");
    });
    xml.append("</testsuites>\n");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, xml, StandardCharsets.UTF_8);
  }

  static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
