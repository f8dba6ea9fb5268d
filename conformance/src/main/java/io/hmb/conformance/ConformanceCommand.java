package io.hmb.conformance;

import io.hmb.api.v1.Role;
import io.hmb.conformance.cases.GatewayCases;
import io.hmb.conformance.suite.CaseResult;
import io.hmb.conformance.suite.ConformanceCase;
import io.hmb.conformance.suite.ConformanceContext;
import io.hmb.conformance.suite.ConformanceRunner;
import io.hmb.conformance.suite.ConformanceSession;
import io.hmb.conformance.suite.HtmlReport;
import io.hmb.conformance.suite.JUnitXmlReport;
import io.hmb.conformance.suite.Summary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmb conformance}: runs the named conformance cases against a gateway, acting as one participant. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
    description = {"Run the hmb.v1 conformance suite against a gateway (and, through it, the counterparts under test).",
        "Ends with a line 'N passed, N failed'; writes JUnit XML and HTML reports with --report."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every case that ran passed", "1:a case failed", "2:bad usage"})
public final class ConformanceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--target", description = "host:port of the gateway (default: ${DEFAULT-VALUE}).")
  String target = "localhost:7443";

  @Option(names = "--as", description = "The role the suite plays: BUREAU, HOSPITAL or INSURER (default: ${DEFAULT-VALUE}).")
  String role = "BUREAU";

  @Option(names = "--keys", description = "Directory with signing.key, tls.crt, tls.key (and ca.crt here or one level up), "
      + "e.g. data/demo/BUREAU-210200.")
  Path keys;

  @Option(names = "--city", description = "Six-digit city code (default: from the participant code).")
  String city;

  @Option(names = "--product", description = "Product to address (default: the city's main product).")
  String product;

  @Option(names = "--person", description = {"CERTNO:NAME of a test person the counterpart has enrolled in the product",
      "(default: a made-up person, for whom coverage and payouts are simply 'not covered')."})
  String person;

  @Option(names = "--case", split = ",", description = "Run only these case ids (default: every case for the role).")
  List<String> only;

  @Option(names = "--report", description = "Directory for junit.xml and report.html.")
  Path report;

  @Option(names = "--benefit-cases", description = "Folder of golden benefit cases (default: ${DEFAULT-VALUE}).")
  Path benefitCases = Path.of("conformance", "cases", "benefit");

  @Option(names = "--timeout-seconds", description = "Time limit per case (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 60;

  @Option(names = "--list", description = "List the case ids with what they check, and exit.")
  boolean list;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      Arrays.stream(ConformanceCase.values()).forEach(c -> out.printf("%-40s %-22s %s%n", c.id(), c.capability(), c.description()));
      return 0;
    }
    if (keys == null) {
      spec.commandLine().getErr().println("--keys is required (e.g. --keys data/demo/BUREAU-210200 after ./hmb serve --demo)");
      return 2;
    }
    Role acting = Role.valueOf("ROLE_" + role.toUpperCase(Locale.ROOT));
    List<ConformanceCase> cases = only == null
        ? Arrays.stream(ConformanceCase.values()).filter(c -> c.runsAs(acting)).toList()
        : only.stream().map(ConformanceCase::fromId).toList();
    List<CaseResult> results;
    io.hmb.api.v1.Person underTest = io.hmb.conformance.cases.Probe.FIXTURE_PERSON;
    if (person != null) {
      String[] parts = person.split(":", 2);
      underTest = io.hmb.api.v1.Person.newBuilder().setCertType("01").setCertNumber(parts[0])
          .setName(parts.length > 1 ? parts[1] : "").build();
    }
    try (ConformanceSession session = ConformanceSession.open(target, acting, keys, city, product, underTest)) {
      out.printf("conformance: %d cases against %s as %s (%s, city %s, product %s, person %s)%n", cases.size(), target,
          role, session.self, session.city, session.product,
          io.hmb.security.mask.Masks.residentId(underTest.getCertNumber()));
      out.flush();
      var bodies = GatewayCases.all();
      bodies.put(ConformanceCase.BENEFIT_GOLDEN_CASES, io.hmb.conformance.cases.GatewayCases.benefitGoldenCases(benefitCases));
      results = new ConformanceRunner<ConformanceContext>(bodies, Duration.ofSeconds(timeoutSeconds))
          .run(cases, session::newContext, ConformanceContext::exchanges, r -> {
            out.printf("%-7s %-40s %6.0f ms %s%n", r.outcome(), r.id(), r.duration().toNanos() / 1e6,
                r.message().isEmpty() ? "" : "- " + r.message());
            out.flush();
          });
    }
    if (report != null) {
      JUnitXmlReport.write(results, report.resolve("junit.xml"));
      HtmlReport.write(results, target, role, report.resolve("report.html"));
      out.printf("reports: %s, %s%n", report.resolve("junit.xml"), report.resolve("report.html"));
    }
    Summary summary = Summary.of(results);
    out.println(summary.closingLine());
    return summary.failed() == 0 ? 0 : 1;
  }
}
