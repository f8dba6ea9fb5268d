package io.hmb.agent.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.agent.Agent;
import io.hmb.agent.AgentConfig;
import io.hmb.agent.send.AgentHttp.Reply;
import io.hmb.cli.demo.DemoNetwork;
import io.hmb.client.RecipientEndpoint;
import io.hmb.conformance.sim.BusinessDay;
import io.hmb.conformance.sim.CityProfile;
import io.hmb.conformance.sim.InsurerSimulator;
import io.hmb.testing.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sending side of the agent against a real gateway (TLS, PostgreSQL, the authorisation matrix): the agent
 * runs as BUREAU-210200 with the demo's keys; the reference lead insurer answers coverage checks; the co-insurer's
 * endpoint here counts the settlement data it is delivered, by message id.
 */
class AgentSendingTest {
  static final String BUREAU = "BUREAU-210200";
  static final String CO = "INSURER-CO-210200";
  static final String CERT = "210203199001011239";

  @TempDir static Path dir;
  static DemoNetwork net;
  static Agent agent;
  static AgentHttp http;
  /** Settlement id -> the message ids the co-insurer was delivered it under. */
  static final Map<String, Set<String>> delivered = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    net = DemoNetwork.start(dir.resolve("gateway"));
    InsurerSimulator lead = InsurerSimulator.builder(net.connect("INSURER-LEAD-210200"), CityProfile.DALIAN)
        .businessDay(new BusinessDay(CityProfile.of(CityProfile.DALIAN).enrolmentDay())).build();
    net.serveRegistered(lead.code(), lead.endpoint());
    RecipientEndpoint co = RecipientEndpoint.builder(net.connect(CO).client())
        .onSettlementData((s, ctx) -> delivered.computeIfAbsent(s.getSettlementId(), k -> ConcurrentHashMap.newKeySet())
            .add(ctx.messageId()))
        .build();
    net.serveRegistered(CO, co);
    agent = net.track(Agent.start(config("localhost:" + net.gateway().port(), dir.resolve("agent"))));
    http = AgentHttp.of(agent.url(), agent.tokenFile());
  }

  static AgentConfig config(String gateway, Path state) {
    return new AgentConfig(net.keys().resolve(BUREAU), null, gateway, state,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, null, AgentConfig.Receive.NONE, null, null,
        null, Duration.ofSeconds(10));
  }

  static String outboundStatus(AgentHttp local, String key) {
    try {
      return local.get("/v1/outbound/" + key).json().path("status").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (net != null) {
      net.close();
    }
  }

  static String settlement(String key, String settlementId) {
    return "{\"to\": \"" + CO + "\", \"product\": \"dalian-2025-basic\", \"idempotencyKey\": \"" + key + "\","
        + " \"payload\": {\"settlementId\": \"" + settlementId + "\", \"visitId\": \"V-" + settlementId + "\","
        + " \"person\": {\"certType\": \"01\", \"certNumber\": \"" + CERT + "\"}, \"insuranceType\": \"310\","
        + " \"medicalFeeTotalFen\": \"4823657\"}}";
  }

  @Test
  void aCoverageQueryIsAnsweredByTheInsurerWithItsVerifiedDecision() throws Exception {
    Reply r = http.post("/v1/coverage-query", "{\"product\": \"dalian-2025-basic\", \"payload\": {\"person\": "
        + "{\"certType\": \"01\", \"certNumber\": \"" + CERT + "\"}, \"date\": {\"year\": 2026, \"month\": 3, \"day\": 16},"
        + " \"moment\": \"MOMENT_ADMISSION\"}}");

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("type").asText()).isEqualTo("coverage-decision");
    assertThat(r.json().path("sender").asText()).isEqualTo("INSURER-LEAD-210200");
    assertThat(r.json().path("messageId").asText()).isNotEmpty();
    assertThat(r.json().path("payload").path("notCoveredReason").asText()).isEqualTo("NOT_COVERED_REASON_NOT_ENROLLED");
  }

  @Test
  void aSettlementIsAcceptedReachesTheInsurerOnceAndItsKeyAnswersTheSameOrRefusesOtherContent() throws Exception {
    Reply first = http.post("/v1/settlement-data", settlement("agent-settle-1", "S-AGENT-1"));

    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(first.json().path("status").asText()).isEqualTo("ACCEPTED");
    assertThat(first.json().path("idempotencyKey").asText()).isEqualTo("agent-settle-1");
    String messageId = first.json().path("messageId").asText();
    assertThat(messageId).isNotEmpty();
    Await.until("the settlement at the co-insurer", () -> delivered.containsKey("S-AGENT-1"));

    Reply again = http.post("/v1/settlement-data", settlement("agent-settle-1", "S-AGENT-1"));
    assertThat(again.status()).as(again.text()).isEqualTo(200);
    assertThat(again.json().path("messageId").asText()).isEqualTo(messageId);
    Reply other = http.post("/v1/settlement-data", settlement("agent-settle-1", "S-AGENT-OTHER"));
    assertThat(other.status()).as(other.text()).isEqualTo(409);
    assertThat(other.error().path("reason").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    Reply status = http.get("/v1/outbound/agent-settle-1");
    assertThat(status.json().path("status").asText()).as(status.text()).isEqualTo("ACCEPTED");
    assertThat(status.json().path("messageId").asText()).isEqualTo(messageId);
    assertThat(http.get("/v1/outbound/never-sent").status()).isEqualTo(404);

    assertThat(delivered.get("S-AGENT-1")).containsExactly(messageId);
    assertThat(delivered).doesNotContainKey("S-AGENT-OTHER");
  }

  @Test
  void withoutAKeyTheAgentMakesOneAndReturnsIt() throws Exception {
    String body = settlement("x", "S-AGENT-NOKEY").replace("\"idempotencyKey\": \"x\",", "");
    Reply r = http.post("/v1/settlement-data", body);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    String key = r.json().path("idempotencyKey").asText();
    assertThat(key).hasSize(36);
    assertThat(http.get("/v1/outbound/" + key).json().path("status").asText()).isEqualTo("ACCEPTED");
  }

  @Test
  void aRefusalOfTheGatewayIsItsStatusAndErrorInfoReason() throws Exception {
    // A Dalian bureau asking about a Wuwei product: the authorisation matrix refuses it.
    Reply r = http.post("/v1/coverage-query", "{\"product\": \"wuwei-2025-basic\", \"payload\": {\"person\": "
        + "{\"certType\": \"01\", \"certNumber\": \"" + CERT + "\"}}}");

    assertThat(r.status()).as(r.text()).isEqualTo(403);
    assertThat(r.error().path("reason").asText()).isEqualTo("NOT_AUTHORISED");
    assertThat(r.error().path("grpcStatus").asText()).isEqualTo("PERMISSION_DENIED");
    assertThat(r.text()).doesNotContain(CERT);
  }

  @Test
  void badJsonAndUnknownOrMistypedFieldsAre400WithPathsAndNoValue() throws Exception {
    Reply broken = http.post("/v1/coverage-query", "{\"product\": ");
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.error().path("reason").asText()).isEqualTo("INVALID_JSON");

    Reply fields = http.post("/v1/coverage-query", "{\"product\": \"dalian-2025-basic\", \"colour\": \"red\","
        + " \"payload\": {\"person\": {\"certNo\": \"" + CERT + "\", \"birthDate\": \"" + CERT + "\"},"
        + " \"moment\": \"" + CERT + "\", \"date\": {\"year\": \"" + CERT + "x\"}}}");

    assertThat(fields.status()).as(fields.text()).isEqualTo(400);
    assertThat(fields.error().path("reason").asText()).isEqualTo("FIELD_ERRORS");
    assertThat(fields.error().path("fields").findValuesAsText("path")).containsExactlyInAnyOrder("colour",
        "payload.person.certNo", "payload.person.birthDate", "payload.moment", "payload.date.year");
    assertThat(fields.text()).doesNotContain(CERT).doesNotContain("red");

    Reply deduction = http.post("/v1/deduction-request", "{\"to\": \"BUREAU-210200\", \"payload\": {}}");
    assertThat(deduction.error().path("fields").findValuesAsText("path")).containsExactly("idempotencyKey");
  }

  @Test
  void withoutTheTokenACallIs401AndHealthAndOpenApiAreOpen() throws Exception {
    Reply r = http.postWithoutToken("/v1/coverage-query", "{}");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.error().path("reason").asText()).isEqualTo("UNAUTHENTICATED");

    AgentHttp anonymous = new AgentHttp(agent.url(), "wrong-token");
    Reply health = anonymous.get("/v1/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("participant").asText()).isEqualTo(BUREAU);
    assertThat(health.json().path("gateway").asText()).isEqualTo("reachable");
    assertThat(health.json().has("outboundPending")).isTrue();
    Reply openapi = anonymous.get("/v1/openapi.json");
    assertThat(openapi.json().path("paths").has("/v1/settlement-data")).isTrue();
  }

  @Test
  void aSetlinfoWithProblemsIs422NamingEachFieldAndACleanOneIsSent() throws Exception {
    String problems = Files.readString(Path.of("../adapters/src/test/resources/setlinfo/dalian-2025-upgrade-problems.json"),
        StandardCharsets.UTF_8);
    Reply bad = http.post("/v1/settlement-data/setlinfo", "{\"product\": \"dalian-2025-upgrade\", \"to\": \"" + CO
        + "\", \"idempotencyKey\": \"setl-bad\", \"setlinfo\": " + problems + "}");

    assertThat(bad.status()).as(bad.text()).isEqualTo(422);
    assertThat(bad.error().path("reason").asText()).isEqualTo("MAPPING_PROBLEMS");
    assertThat(bad.error().path("problems").findValuesAsText("path"))
        .contains("setlinfo.medfee_sumamt", "setlinfo.certno", "setlinfo.insutype");
    assertThat(bad.text()).doesNotContain("210203199001011235").doesNotContain("张三丰");
    assertThat(http.get("/v1/outbound/setl-bad").status()).isEqualTo(404);

    String clean = Files.readString(Path.of("../adapters/src/test/resources/setlinfo/dalian-2025-upgrade-inpatient.json"),
        StandardCharsets.UTF_8).strip();
    Reply ok = http.post("/v1/settlement-data/setlinfo", "{\"product\": \"dalian-2025-upgrade\", \"to\": \"" + CO
        + "\", \"idempotencyKey\": \"setl-ok\", " + clean.substring(1));
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(ok.json().path("status").asText()).isEqualTo("ACCEPTED");
    Await.until("the mapped settlement at the co-insurer", () -> delivered.containsKey("SET21020020251210004411"));
  }

  @Test
  void theAgentCommandPrintsWhereItListensAndTheTokenFileAndStopsCleanlyOnSigterm() throws Exception {
    Path state = dir.resolve("agent-command");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), io.hmb.cli.Hmb.class.getName(), "agent",
        "--keys", net.keys().resolve(BUREAU).toString(), "--gateway", "localhost:" + net.gateway().port(),
        "--state", state.toString(), "--listen", "127.0.0.1:0", "--receive", "none")
        .redirectError(dir.resolve("agent-command.log").toFile()).start();
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      assertThat(line).as("the first line of ./hmb agent").isNotNull()
          .matches("hmb agent: " + BUREAU + " listening on http://127\\.0\\.0\\.1:[0-9]+ \\(token in "
              + java.util.regex.Pattern.quote(state.resolve("access.token").toString()) + "\\)");
      String url = line.substring(line.indexOf("http://"), line.indexOf(" (token"));
      AgentHttp local = AgentHttp.of(url, state.resolve("access.token"));
      Reply health = local.get("/v1/health");
      assertThat(health.json().path("participant").asText()).isEqualTo(BUREAU);
      assertThat(java.nio.file.Files.getPosixFilePermissions(state.resolve("access.token")))
          .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("agent-command.log"))).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void whileTheGatewayIsDownASettlementIsQueuedAndDeliveredOnceWhenItIsBack() throws Exception {
    try (TcpRelay relay = new TcpRelay(net.gateway().port());
        Agent cut = Agent.start(config("localhost:" + relay.port(), dir.resolve("agent-cut")))) {
      AgentHttp local = AgentHttp.of(cut.url(), cut.tokenFile());

      Reply queued = local.post("/v1/settlement-data", settlement("agent-queued-1", "S-AGENT-QUEUED"));

      assertThat(queued.status()).as(queued.text()).isEqualTo(202);
      assertThat(queued.json().path("status").asText()).isEqualTo("QUEUED");
      assertThat(local.get("/v1/outbound/agent-queued-1").json().path("status").asText()).isEqualTo("PENDING");
      assertThat(local.get("/v1/health").json().path("gateway").asText()).isEqualTo("unreachable");
      assertThat(local.get("/v1/health").json().path("outboundPending").asInt()).isEqualTo(1);

      relay.up();

      Await.until("the queued settlement accepted", Duration.ofSeconds(60),
          () -> "ACCEPTED".equals(outboundStatus(local, "agent-queued-1")));
      String messageId = local.get("/v1/outbound/agent-queued-1").json().path("messageId").asText();
      Await.until("the queued settlement at the co-insurer", () -> delivered.containsKey("S-AGENT-QUEUED"));
      assertThat(delivered.get("S-AGENT-QUEUED")).containsExactly(messageId);
      Reply repeat = local.post("/v1/settlement-data", settlement("agent-queued-1", "S-AGENT-QUEUED"));
      assertThat(repeat.status()).isEqualTo(200);
      assertThat(repeat.json().path("messageId").asText()).isEqualTo(messageId);
    }
  }
}
