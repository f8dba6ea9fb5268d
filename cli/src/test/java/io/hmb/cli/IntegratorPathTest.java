package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.cli.demo.DemoSetup;
import io.hmb.conformance.ConformanceCommand;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The integrator's path through ./hmb against a running demo gateway: a simulator registers its own endpoint,
 * the suite refuses an --as that is not the keys' registered role, and a run where nothing was checked is not
 * a pass.
 */
class IntegratorPathTest {
  @TempDir static Path dataDir;
  @TempDir static Path empty;
  static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
    DemoSetup.seed(gateway.admin(), dataDir);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  static HmbRun hmb(String... args) {
    return HmbRun.of(args);
  }

  String target() {
    return "localhost:" + gateway.port();
  }

  @Test
  void aSimulatorRegistersItsOwnEndpointWithTheGateway() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cl = Hmb.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    Thread simulator = new Thread(() -> cl.execute("simulate", "bureau", "--city", "620600", "--gateway", target(),
        "--keys", dataDir.resolve("demo").toString()), "simulator-under-test");
    simulator.start();
    try {
      Instant until = Instant.now().plus(Duration.ofSeconds(60));
      while (!out.toString().contains("Stop with Ctrl-C") && Instant.now().isBefore(until) && simulator.isAlive()) {
        Thread.sleep(50);
      }
      String printed = out.toString();
      assertThat(printed).as(printed).contains("Registered the endpoint localhost:");
      String port = printed.replaceAll("(?s).*listening on port (\\d+).*", "$1");
      assertThat(gateway.admin().registry().participant("BUREAU-620600").orElseThrow().endpoint())
          .isEqualTo(Optional.of("localhost:" + port));
    } finally {
      simulator.interrupt();
      simulator.join(30_000);
    }
    assertThat(simulator.isAlive()).as("stops when interrupted").isFalse();
  }

  @Test
  void withoutRegisteringItPrintsTheCommandThatDoes() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cl = Hmb.commandLine();
    cl.setOut(new PrintWriter(out, true));
    Thread simulator = new Thread(() -> cl.execute("simulate", "hospital", "--city", "371500", "--no-register",
        "--gateway", target(), "--keys", dataDir.resolve("demo").toString()), "simulator-not-registering");
    simulator.start();
    try {
      Instant until = Instant.now().plus(Duration.ofSeconds(60));
      while (!out.toString().contains("Stop with Ctrl-C") && Instant.now().isBefore(until) && simulator.isAlive()) {
        Thread.sleep(50);
      }
      assertThat(out.toString()).contains("./hmb participants set-endpoint HOSPITAL-371500-01 localhost:");
      assertThat(gateway.admin().registry().participant("HOSPITAL-371500-01").orElseThrow().endpoint()).isEmpty();
    } finally {
      simulator.interrupt();
      simulator.join(30_000);
    }
  }

  @Test
  void asARoleTheKeysAreNotRegisteredForIsRefusedInOneLine() {
    HmbRun r = hmb("conformance", "--target", target(), "--as", "INSURER", "--keys",
        dataDir.resolve("demo/BUREAU-210200").toString(), "--case", "coverage_query_answered");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains("--as INSURER", "registered BUREAU-210200 as BUREAU").doesNotContain("Exception");
    assertThat(hmb("conformance", "--target", target(), "--as", "PHARMACIST", "--keys",
        dataDir.resolve("demo/BUREAU-210200").toString()).exit()).isEqualTo(2);
  }

  @Test
  void aRunWhereEveryCaseWasSkippedExitsThree() {
    // Without the fixtures' credentials, the case that acts as a suspended fixture can only be skipped.
    HmbRun r = hmb("conformance", "--target", target(), "--as", "HOSPITAL", "--keys",
        dataDir.resolve("demo/HOSPITAL-210200-01").toString(), "--fixtures", empty.toString(),
        "--case", "identity_sender_suspended");
    assertThat(r.out()).as(r.out()).contains("SKIPPED", "0 passed, 0 failed, 1 skipped");
    assertThat(r.exit()).as(r.err()).isEqualTo(ConformanceCommand.NOTHING_CHECKED).isEqualTo(3);
    assertThat(r.err()).contains("nothing was checked");
  }

  @Test
  void anIntegratorLearnsACitysProductsFromTheDirectory() throws Exception {
    try (var connection = io.hmb.conformance.sim.SimParticipant.load(dataDir.resolve("demo"), "HOSPITAL-620600-01")
        .connect(target())) {
      assertThat(connection.client().directory().products("620600")).extracting(p -> p.getProductCode() + " "
          + p.getLeadInsurer() + " " + p.getTermStart().getYear())
          .containsExactly("wuwei-2025-basic INSURER-LEAD-620600 2025", "wuwei-2025-upgrade INSURER-LEAD-620600 2025");
      assertThat(connection.client().directory().products("")).hasSize(5);
    }
  }

  @Test
  void theSeededPersonIsTheOneTheInsurerSimulatorEnrolsFirst() throws Exception {
    assertThat(Files.exists(dataDir.resolve("demo/BUREAU-620600/tls.crt"))).isTrue();
    HmbRun r = hmb("conformance", "--target", target(), "--as", "BUREAU", "--keys",
        dataDir.resolve("demo/BUREAU-620600").toString(), "--person", "seeded", "--case", "crypto_sm3_vectors");
    String masked = io.hmb.security.mask.Masks.residentId(
        io.hmb.conformance.sim.Population.seededPerson("620600").certNumber());
    assertThat(r.out()).as(r.out()).contains("person " + masked).contains("1 passed, 0 failed");
    assertThat(r.exit()).isZero();
  }
}
