package io.hmb.conformance.sim;

import io.hmb.cli.demo.DemoNetwork;
import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.enrolment.EnrolmentRules;
import io.hmb.api.v1.Role;
import io.hmb.conformance.ConformanceCommand;
import io.hmb.conformance.sim.Resident.HouseholdRole;
import io.hmb.conformance.suite.ConformanceCase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The conformance suite in endpoint mode (./hmb conformance --endpoint), run as an integrator runs it,
 * directly against the reference simulators' endpoints (not registered with the gateway, which only
 * serves its directory): the healthy bureau and insurer pass every endpoint case; the bureau with
 * {@link Flaw#DOUBLE_DEDUCTION} and the insurer with {@link Flaw#SKIP_SIGNATURE_VERIFICATION}, whose bugs
 * the gateway hides in gateway mode, fail the cases made for them, and endpoints with
 * {@link Flaw#ACCEPTS_ANY_CA_CERTIFICATE} fail the adversary cases.
 */
class EndpointModeAgainstSimulatorsTest {
  static final String DALIAN = CityProfile.DALIAN;
  static final String BUREAU = "BUREAU-" + DALIAN;
  static final String INSURER = "INSURER-LEAD-" + DALIAN;
  static final String PRODUCT = "dalian-2025-basic";

  @TempDir static Path dataDir;
  @TempDir static Path reports;
  static DemoNetwork net;
  static BureauSimulator healthyBureau;
  static BureauSimulator doubleDeducting;
  static EndpointServer healthyBureauAt;
  static EndpointServer doubleDeductingAt;
  static EndpointServer healthyInsurerAt;
  static EndpointServer unverifyingInsurerAt;
  static EndpointServer anyCertificateInsurerAt;
  static EndpointServer anyCertificateBureauAt;
  static InsurerSimulator anyCertificateInsurer;
  static InsurerSimulator healthyInsurer;

  @BeforeAll
  static void start() throws Exception {
    net = DemoNetwork.start(dataDir);
    healthyBureau = bureau(Flaw.NONE);
    doubleDeducting = bureau(Flaw.DOUBLE_DEDUCTION);
    healthyBureauAt = net.serve(BUREAU, healthyBureau.endpoint());
    doubleDeductingAt = net.serve(BUREAU, doubleDeducting.endpoint());
    healthyInsurer = InsurerSimulator.builder(net.connect(INSURER), DALIAN).build();
    healthyInsurerAt = net.serve(INSURER, healthyInsurer.endpoint());
    unverifyingInsurerAt = net.serve(INSURER, InsurerSimulator.builder(net.connect(INSURER), DALIAN)
        .flaw(Flaw.SKIP_SIGNATURE_VERIFICATION).build().endpoint());
    anyCertificateInsurer = InsurerSimulator.builder(net.connect(INSURER), DALIAN).flaw(Flaw.ACCEPTS_ANY_CA_CERTIFICATE)
        .build();
    anyCertificateInsurerAt = net.serve(INSURER, anyCertificateInsurer.endpoint());
    anyCertificateBureauAt = net.serve(BUREAU, bureau(Flaw.ACCEPTS_ANY_CA_CERTIFICATE).endpoint());
  }

  /** The same population (same seed) for both bureaus, so the same resident has the same balance at each. */
  static BureauSimulator bureau(Flaw flaw) throws Exception {
    return BureauSimulator.builder(net.connect(BUREAU), Population.generate(DALIAN, 5, 9))
        .businessDay(new BusinessDay(LocalDate.of(2025, 10, 20))).flaw(flaw).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (net != null) {
      net.close();
    }
  }

  record Run(int exit, String out) {}

  static Run conformance(String suiteAs, String role, EndpointServer endpoint, String endpointCode, String... extra) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new ConformanceCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    Stream<String> endpointArgs = endpoint == null ? Stream.of()
        : Stream.of("--endpoint", endpoint.address(), "--endpoint-code", endpointCode, "--report",
            reports.resolve(endpointCode + "-" + endpoint.port()).toString());
    String[] args = Stream.of(Stream.of("--target", "localhost:" + net.gateway().port(), "--as", role, "--keys",
        net.keys().resolve(suiteAs).toString(), "--timeout-seconds", "20"), endpointArgs, Arrays.stream(extra))
        .flatMap(s -> s).toArray(String[]::new);
    return new Run(cl.execute(args), out.toString());
  }

  /** The person and premium for the deduction case: a worker of the bureaus' population, paying for himself. */
  static String[] deductionArgs() {
    Resident worker = healthyBureau.population().member(0, HouseholdRole.WORKER);
    long premium = EnrolmentRules.premiumFen(ProductCatalog.shipped().get(PRODUCT), worker.birthDate(),
        LocalDate.of(2025, 10, 20));
    return new String[] {"--product", PRODUCT, "--person", worker.certNumber() + ":" + worker.name(),
        "--deduction-fen", Long.toString(premium)};
  }

  @Test
  void aHealthyBureauEndpointPassesEveryEndpointCaseAndPostsTheRetriedDeductionOnce() throws Exception {
    Run run = conformance(INSURER, "INSURER", healthyBureauAt, BUREAU, deductionArgs());

    assertThat(run.out()).as(run.out()).contains("10 passed, 0 failed").doesNotContain("FAILED").doesNotContain("SKIPPED")
        .containsPattern("PASSED +adversary_direct_call_with_participant_certificate")
        .containsPattern("PASSED +adversary_participant_certificate_posing_as_gateway")
        .containsPattern("PASSED +adversary_participant_certificate_posing_as_endpoint")
        .containsPattern("PASSED +endpoint_refuses_tampered_signature").containsPattern("PASSED +endpoint_refuses_wrong_recipient")
        .containsPattern("PASSED +endpoint_refuses_expired").containsPattern("PASSED +endpoint_refuses_replayed")
        .containsPattern("PASSED +endpoint_refuses_unserved_type")
        .containsPattern("PASSED +endpoint_deduction_retry_posts_once").containsPattern("PASSED +endpoint_delivery_deduplicated");
    assertThat(run.exit()).isZero();
    assertThat(healthyBureau.deductions()).hasSize(1);
    assertThat(healthyBureau.postings(INSURER, healthyBureau.deductions().get(0).idempotencyKey())).isEqualTo(1);
    // The repeated delivery reached the bureau's handler once.
    assertThat(healthyBureau.reconciliations()).filteredOn(o -> o.reportId().startsWith("conformance-endpoint-"))
        .hasSize(1);
    assertThat(Files.readString(reports.resolve(BUREAU + "-" + healthyBureauAt.port()).resolve("junit.xml")))
        .contains("failures=\"0\"");
  }

  @Test
  void theRetryCaseFailsAgainstABureauThatPostsARetriedDeductionTwice() {
    Run run = conformance(INSURER, "INSURER", doubleDeductingAt, BUREAU, deductionArgs());

    assertThat(run.exit()).as(run.out()).isEqualTo(1);
    assertThat(run.out()).as(run.out()).containsPattern("FAILED +endpoint_deduction_retry_posts_once .*was not answered "
        + "from the record").contains("9 passed, 1 failed");
    assertThat(doubleDeducting.deductions()).hasSize(2);
  }

  @Test
  void aHealthyInsurerEndpointPassesEveryEndpointCase() {
    Run run = conformance(BUREAU, "BUREAU", healthyInsurerAt, INSURER);

    assertThat(run.out()).as(run.out()).contains("9 passed, 0 failed").doesNotContain("FAILED")
        .doesNotContain("endpoint_deduction_retry_posts_once");
    assertThat(run.exit()).isZero();
    assertThat(healthyInsurer.reconciliations()).filteredOn(o -> o.reportId().startsWith("conformance-endpoint-"))
        .hasSize(1);
  }

  @Test
  void theSignatureAndRecipientCasesFailAgainstAnInsurerThatVerifiesNothing() {
    Run run = conformance(BUREAU, "BUREAU", unverifyingInsurerAt, INSURER);

    assertThat(run.exit()).as(run.out()).isEqualTo(1);
    assertThat(run.out()).as(run.out())
        .containsPattern("FAILED +endpoint_refuses_tampered_signature .*answered a request whose signature was altered")
        .containsPattern("FAILED +endpoint_refuses_wrong_recipient .*answered a request addressed to " + BUREAU)
        // Opening nothing, it checks no freshness and keeps no replay record either.
        .containsPattern("FAILED +endpoint_refuses_expired .*answered a request that expired")
        .containsPattern("FAILED +endpoint_refuses_replayed .*answered a request sent a second time")
        // It acknowledges every delivery unread: the one thing a repeat can show is the receipt, which it gets right.
        .containsPattern("PASSED +endpoint_delivery_deduplicated").containsPattern("PASSED +endpoint_refuses_unserved_type")
        // Served like a healthy endpoint (only the gateway gets through the handshake): the adversaries are turned away.
        .containsPattern("PASSED +adversary_direct_call_with_participant_certificate")
        .contains("5 passed, 4 failed");
  }

  /**
   * Security II, finding 1, as the suite shows it: an endpoint that admits any certificate of the CA (as the SDK's
   * and the simulators' did) passes every envelope case and fails exactly the adversary cases that call it with a
   * participant's certificate.
   */
  @Test
  void theAdversaryCasesFailAgainstEndpointsThatAdmitAnyCertificateOfTheCa() {
    Run insurer = conformance(BUREAU, "BUREAU", anyCertificateInsurerAt, INSURER);
    assertThat(insurer.exit()).as(insurer.out()).isEqualTo(1);
    assertThat(insurer.out()).as(insurer.out())
        .containsPattern("FAILED +adversary_direct_call_with_participant_certificate .*answered a question sent directly "
            + "with participant " + BUREAU + "'s certificate")
        .containsPattern("FAILED +adversary_participant_certificate_posing_as_gateway .*acknowledged a delivery pushed "
            + "with participant " + BUREAU + "'s certificate")
        .containsPattern("PASSED +adversary_participant_certificate_posing_as_endpoint")
        .contains("7 passed, 2 failed");
    // The delivery that posed as the gateway's reached the insurer's handler.
    assertThat(anyCertificateInsurer.reconciliations()).anyMatch(o -> o.reportId().startsWith("conformance-adversary-"));

    Run bureau = conformance(INSURER, "INSURER", anyCertificateBureauAt, BUREAU, deductionArgs());
    assertThat(bureau.out()).as(bureau.out())
        .containsPattern("FAILED +adversary_direct_call_with_participant_certificate")
        .containsPattern("FAILED +adversary_participant_certificate_posing_as_gateway")
        .contains("8 passed, 2 failed");
  }

  @Test
  void gatewayAndEndpointRunsKeepToTheirOwnCases() {
    for (Role role : new Role[] {Role.ROLE_BUREAU, Role.ROLE_HOSPITAL, Role.ROLE_INSURER}) {
      assertThat(ConformanceCase.values()).filteredOn(c -> c.runsAs(role))
          .allMatch(c -> c.mode() == ConformanceCase.Mode.GATEWAY);
      assertThat(ConformanceCase.values()).filteredOn(c -> c.runsAgainstEndpointOf(role))
          .allMatch(c -> c.mode() == ConformanceCase.Mode.ENDPOINT);
    }
    Run endpointCaseThroughGateway = conformance(INSURER, "INSURER", null, null, "--case", "endpoint_deduction_retry_posts_once");
    assertThat(endpointCaseThroughGateway.exit()).isEqualTo(2);
    assertThat(endpointCaseThroughGateway.out()).contains("endpoint-mode case(s); run them with --endpoint");
    Run gatewayCaseAtEndpoint = conformance(INSURER, "INSURER", healthyBureauAt, BUREAU, "--case", "deduction_receipt");
    assertThat(gatewayCaseAtEndpoint.exit()).isEqualTo(2);
    assertThat(gatewayCaseAtEndpoint.out()).contains("gateway-mode case(s); run them without --endpoint");
  }
}
