package io.hmb.conformance;

import io.hmb.api.v1.Role;
import io.hmb.conformance.cases.AdversaryIdentityCases;
import io.hmb.conformance.cases.GatewayCases;
import io.hmb.conformance.endpoint.EndpointCases;
import io.hmb.conformance.endpoint.EndpointContext;
import io.hmb.conformance.endpoint.EndpointSession;
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

/**
 * {@code hmb conformance}: runs the named conformance cases against a gateway, acting as one participant;
 * with {@code --endpoint}, runs the endpoint-mode cases directly against one participant's endpoint.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
    description = {"Run the hmb.v1 conformance suite against a gateway (and, through it, the counterparts under test),",
        "or with --endpoint directly against one participant's RecipientService, the suite playing the gateway.",
        "Ends with a line 'N passed, N failed'; writes JUnit XML and HTML reports with --report."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every case that ran passed (and at least one ran)", "1:a case failed, or the gateway could not be reached",
        "2:bad usage (also: --as is not the role the gateway registered for --keys)",
        "3:nothing was checked: every chosen case was skipped (each says what to set up)"})
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

  @Option(names = "--person", description = {"CERTNO:NAME of a test person the counterpart has enrolled in the product,",
      "or 'seeded': the person ./hmb simulate insurer --enrol 1 enrols (the first household's worker of the",
      "simulators' population; see docs/conformance.md#walkthrough) (default: a made-up person, for whom",
      "coverage and payouts are simply 'not covered')."})
  String person;

  @Option(names = "--fixtures", description = {"Directory with the conformance fixtures' credentials (FIXTURE-*/),",
      "default: 'fixtures' beside --keys, where ./hmb serve --demo writes them (docs/conformance.md#fixtures)."})
  Path fixtures;

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

  @Option(names = "--endpoint", description = {"Endpoint mode: host:port of a participant's RecipientService to call directly,",
      "the suite playing the gateway (needs --endpoint-code; --target still names the gateway, for its directory)."})
  String endpoint;

  @Option(names = "--endpoint-code", description = "Participant code of the endpoint under test, e.g. BUREAU-210200.")
  String endpointCode;

  @Option(names = "--endpoint-tls", description = {"Directory with tls.crt and tls.key for the mTLS connection to the "
      + "endpoint: a certificate with the gateway's identity,", "the only one a conforming endpoint admits (default: "
      + "conformance-gateway beside --keys, where ./hmb serve --demo writes one)."})
  Path endpointTls;

  @Option(names = "--deduction-fen", description = "Endpoint mode: the premium, in fen, the bureau under test expects for "
      + "--person and --product (default: ${DEFAULT-VALUE}).")
  long deductionFen = 8_900;

  /** Exit code of a run in which no case passed or failed: every one was skipped. */
  public static final int NOTHING_CHECKED = 3;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      out.printf("%-40s %-22s %-8s %s%n", "ID", "CAPABILITY", "MODE", "CHECKS");
      Arrays.stream(ConformanceCase.values()).forEach(c -> out.printf("%-40s %-22s %-8s %s%n", c.id(), c.capability(),
          c.mode(), c.description()));
      return 0;
    }
    if (keys == null) {
      spec.commandLine().getErr().println("--keys is required (e.g. --keys data/demo/BUREAU-210200 after ./hmb serve --demo)");
      return 2;
    }
    Role acting = switch (role.toUpperCase(Locale.ROOT)) {
      case "BUREAU" -> Role.ROLE_BUREAU;
      case "HOSPITAL" -> Role.ROLE_HOSPITAL;
      case "INSURER" -> Role.ROLE_INSURER;
      default -> null;
    };
    if (acting == null) {
      spec.commandLine().getErr().println("--as " + role + ": the suite plays BUREAU, HOSPITAL or INSURER");
      return 2;
    }
    ConformanceCase.Mode mode = endpoint == null ? ConformanceCase.Mode.GATEWAY : ConformanceCase.Mode.ENDPOINT;
    if (mode == ConformanceCase.Mode.ENDPOINT && endpointCode == null) {
      spec.commandLine().getErr().println("--endpoint needs --endpoint-code (the participant code of the endpoint under test)");
      return 2;
    }
    List<ConformanceCase> chosen = only == null ? null : only.stream().map(ConformanceCase::fromId).toList();
    if (chosen != null) {
      List<String> wrongMode = chosen.stream().filter(c -> c.mode() != mode).map(ConformanceCase::id).toList();
      if (!wrongMode.isEmpty()) {
        spec.commandLine().getErr().println(String.join(",", wrongMode) + (mode == ConformanceCase.Mode.ENDPOINT
            ? ": gateway-mode case(s); run them without --endpoint" : ": endpoint-mode case(s); run them with --endpoint"));
        return 2;
      }
    }
    List<CaseResult> results;
    io.hmb.api.v1.Person underTest = io.hmb.conformance.cases.Probe.FIXTURE_PERSON;
    if ("seeded".equalsIgnoreCase(person)) {
      String of = city != null ? city : keys.toAbsolutePath().normalize().getFileName().toString()
          .replaceAll(".*?(\\d{6}).*", "$1");
      if (!of.matches("\\d{6}")) {
        spec.commandLine().getErr().println("--person seeded: pass --city, the keys directory names no city");
        return 2;
      }
      underTest = io.hmb.conformance.sim.Population.seededPerson(of).toPerson();
    } else if (person != null) {
      String[] parts = person.split(":", 2);
      underTest = io.hmb.api.v1.Person.newBuilder().setCertType("01").setCertNumber(parts[0])
          .setName(parts.length > 1 ? parts[1] : "").build();
    }
    if (mode == ConformanceCase.Mode.ENDPOINT) {
      try (ConformanceSession session = ConformanceSession.open(target, acting, keys, city, product, underTest, fixtures)) {
        if (!rolesAgree(session, acting)) {
          return 2;
        }
        try (EndpointSession at = EndpointSession.open(session, endpoint, endpointCode, endpointTls != null ? endpointTls
                : keys.toAbsolutePath().getParent().resolve("conformance-gateway"), deductionFen)) {
          List<ConformanceCase> cases = chosen != null ? chosen
              : Arrays.stream(ConformanceCase.values()).filter(c -> c.runsAgainstEndpointOf(at.role)).toList();
          out.printf("conformance: %d endpoint cases against %s at %s (%s) as %s (%s, city %s, product %s, person %s), "
              + "directory from %s%n", cases.size(), endpointCode, endpoint, at.role, role, session.self, session.city,
              session.product, io.hmb.security.mask.Masks.residentId(underTest.getCertNumber()), target);
          out.flush();
          var endpointBodies = EndpointCases.all();
          endpointBodies.putAll(AdversaryIdentityCases.all());
          results = new ConformanceRunner<EndpointContext>(endpointBodies, Duration.ofSeconds(timeoutSeconds))
              .run(cases, at::newContext, EndpointContext::exchanges, r -> progress(out, r));
        }
      }
      return finish(out, results, endpointCode + " at " + endpoint);
    }
    List<ConformanceCase> cases = chosen != null ? chosen
        : Arrays.stream(ConformanceCase.values()).filter(c -> c.runsAs(acting)).toList();
    try (ConformanceSession session = ConformanceSession.open(target, acting, keys, city, product, underTest, fixtures)) {
      if (!rolesAgree(session, acting)) {
        return 2;
      }
      out.printf("conformance: %d cases against %s as %s (%s, city %s, product %s, person %s)%n", cases.size(), target,
          role, session.self, session.city, session.product,
          io.hmb.security.mask.Masks.residentId(underTest.getCertNumber()));
      out.flush();
      var bodies = GatewayCases.all();
      bodies.putAll(io.hmb.conformance.cases.AdversaryCases.all());
      bodies.putAll(io.hmb.conformance.cases.AdversaryLimitsCases.all());
      bodies.put(ConformanceCase.BENEFIT_GOLDEN_CASES, io.hmb.conformance.cases.GatewayCases.benefitGoldenCases(benefitCases));
      results = new ConformanceRunner<ConformanceContext>(bodies, Duration.ofSeconds(timeoutSeconds))
          .run(cases, session::newContext, ConformanceContext::exchanges, r -> progress(out, r));
    }
    return finish(out, results, target);
  }

  /**
   * Whether {@code --as} is the role the gateway registered for the participant of {@code --keys} (its
   * certificate names the participant; the registry, through DirectoryService, its role); if not, says so.
   * A gateway that does not answer fails the run here, once, rather than in every case.
   */
  private boolean rolesAgree(ConformanceSession session, Role acting) {
    Role registered;
    try {
      registered = session.client.directory().participant(session.self).getRole();
    } catch (io.hmb.client.GatewayException e) {
      throw new IllegalStateException("the gateway at " + target + " did not tell who " + session.self + " is ("
          + e.status().getCode() + e.reason().map(r -> " " + r).orElse("") + "); is ./hmb serve running there?", e);
    }
    if (registered == acting) {
      return true;
    }
    String as = registered.name().substring("ROLE_".length());
    spec.commandLine().getErr().println("--as " + role.toUpperCase(Locale.ROOT) + " does not fit --keys: the gateway "
        + "registered " + session.self + " as " + as + " (use --as " + as + ", or the keys of a " + role.toUpperCase(Locale.ROOT) + ")");
    return false;
  }

  private static void progress(PrintWriter out, CaseResult r) {
    out.printf("%-7s %-40s %6.0f ms %s%n", r.outcome(), r.id(), r.duration().toNanos() / 1e6,
        r.message().isEmpty() ? "" : "- " + r.message());
    out.flush();
  }

  private int finish(PrintWriter out, List<CaseResult> results, String against) throws java.io.IOException {
    if (report != null) {
      JUnitXmlReport.write(results, report.resolve("junit.xml"));
      HtmlReport.write(results, against, role, report.resolve("report.html"));
      out.printf("reports: %s, %s%n", report.resolve("junit.xml"), report.resolve("report.html"));
    }
    Summary summary = Summary.of(results);
    out.println(summary.closingLine());
    if (summary.failed() > 0) {
      return 1;
    }
    if (summary.passed() == 0) {
      spec.commandLine().getErr().println("nothing was checked: every case was skipped (exit " + NOTHING_CHECKED
          + "); each SKIPPED line says what to set up");
      return NOTHING_CHECKED;
    }
    return 0;
  }
}
