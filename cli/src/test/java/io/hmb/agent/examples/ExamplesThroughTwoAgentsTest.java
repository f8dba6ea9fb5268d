package io.hmb.agent.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hmb.agent.Agent;
import io.hmb.agent.AgentConfig;
import io.hmb.cli.demo.DemoNetwork;
import io.hmb.conformance.ConformanceCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 20's "done when": a bureau's script with no cryptography library (examples/agent/python and
 * examples/agent/node) checks coverage, posts a settlement in setlinfo form and receives the claim result by
 * webhook, through two agents and a real gateway. The insurer's local system here is plain HTTP too: it answers
 * the coverage question through its agent's answer URL and, when its webhook brings the settlement, publishes a
 * claim result through its agent. Nothing on either side but the agents touches a key.
 */
class ExamplesThroughTwoAgentsTest {
  static final String BUREAU = "BUREAU-210200";
  static final String LEAD = "INSURER-LEAD-210200";
  static final String PRODUCT = "dalian-2025-upgrade";
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path SETLINFO = REPO.resolve("adapters/src/test/resources/setlinfo/dalian-2025-upgrade-inpatient.json");
  static final ObjectMapper JSON = new ObjectMapper();
  static final long PAYOUT_FEN = 1_234_567;

  @TempDir static Path dir;
  static DemoNetwork net;
  static Agent bureauAgent;
  static Agent insurerAgent;
  static InsurerSystem insurer;
  static int bureauWebhookPort;

  @BeforeAll
  static void start() throws Exception {
    net = DemoNetwork.start(dir.resolve("gateway"));
    String gateway = "localhost:" + net.gateway().port();
    insurer = new InsurerSystem(dir.resolve("insurer-agent").resolve("webhook.secret"));
    insurerAgent = net.track(Agent.start(new AgentConfig(net.keys().resolve(LEAD), null, gateway,
        dir.resolve("insurer-agent"), loopback(0), null, null, AgentConfig.Receive.ENDPOINT, loopback(0),
        insurer.url("/webhook"), insurer.url("/answer"), Duration.ofSeconds(10))));
    net.gateway().admin().setEndpoint(LEAD, Optional.of("localhost:" + insurerAgent.endpointPort()));
    insurer.agent = insurerAgent;

    bureauWebhookPort = freePort();
    bureauAgent = net.track(Agent.start(new AgentConfig(net.keys().resolve(BUREAU), null, gateway,
        dir.resolve("bureau-agent"), loopback(0), null, null, AgentConfig.Receive.INBOX, null,
        URI.create("http://127.0.0.1:" + bureauWebhookPort + "/"), null, Duration.ofSeconds(10))));
    // The bureau receives from its inbox: no endpoint of its own at the gateway, or the gateway would push there.
    net.gateway().admin().setEndpoint(BUREAU, Optional.empty());
  }

  @AfterAll
  static void stop() throws Exception {
    if (net != null) {
      net.close();
    }
    if (insurer != null) {
      insurer.close();
    }
  }

  @Test
  void thePythonExampleChecksCoverageSendsASetlinfoAndReceivesTheClaimResult() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed (Debian: apt-get install python3)");
    Path setlinfo = setlinfoWithId("SET21020020251210009001");
    Run run = run(List.of("python3", REPO.resolve("examples/agent/python/bureau_example.py").toString()), setlinfo);
    assertTheWholeStoryHappened(run, "SET21020020251210009001");
  }

  @Test
  void theNodeExampleDoesTheSame() throws Exception {
    assumeTrue(onPath("node"), "node is not installed (Debian: apt-get install nodejs)");
    Path setlinfo = setlinfoWithId("SET21020020251210009002");
    Run run = run(List.of("node", REPO.resolve("examples/agent/node/bureau-example.mjs").toString()), setlinfo);
    assertTheWholeStoryHappened(run, "SET21020020251210009002");
  }

  private static void assertTheWholeStoryHappened(Run run, String settlementId) throws IOException {
    assertThat(run.exit).as(run.toString()).isZero();
    JsonNode out = JSON.readTree(run.stdout.strip());
    assertThat(out.path("covered").asBoolean()).as(run.toString()).isTrue();
    assertThat(out.path("settlement").path("status").asText()).isEqualTo("ACCEPTED");
    assertThat(out.path("settlement").path("idempotencyKey").asText()).isEqualTo("setl-" + settlementId);
    assertThat(out.path("claim").path("sender").asText()).isEqualTo(LEAD);
    assertThat(out.path("claim").path("outcome").asText()).isEqualTo("OUTCOME_COMPLETE");
    assertThat(out.path("claim").path("payoutFen").asText()).isEqualTo(Long.toString(PAYOUT_FEN));
    assertThat(out.path("webhookSignaturesRefused").asInt()).isZero();
    // The insurer's system took the settlement once, as SettlementData mapped from yuan to fen by the city's rules.
    assertThat(insurer.settlements(settlementId)).isEqualTo(1);
    assertThat(insurer.medicalFeeTotalFen(settlementId)).isEqualTo(4_823_657);
    assertThat(insurer.badSignatures.get()).isZero();
    // Nothing printed a person's identity number.
    assertThat(run.stdout + run.stderr).doesNotContain("210203199001011239");
  }

  /**
   * The conformance suite's endpoint mode, run as an integrator runs it against the insurer behind its agent
   * (the suite calls the agent's endpoint as the gateway would): every endpoint case passes, the adversary cases
   * (participants' certificates posing as the gateway) among them, since the agent's endpoint is the SDK's.
   */
  @Test
  void theConformanceSuitesEndpointModePassesAgainstAnInsurerBehindItsAgent() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new ConformanceCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(out));
    int exit = cl.execute("--target", "localhost:" + net.gateway().port(), "--as", "BUREAU", "--keys",
        net.keys().resolve(BUREAU).toString(), "--timeout-seconds", "20",
        "--endpoint", "localhost:" + insurerAgent.endpointPort(), "--endpoint-code", LEAD,
        "--report", dir.resolve("conformance-report").toString());
    assertThat(out.toString()).as(out.toString()).contains("9 passed, 0 failed").doesNotContain("FAILED")
        .containsPattern("PASSED +adversary_participant_certificate_posing_as_gateway")
        .containsPattern("PASSED +endpoint_refuses_replayed").containsPattern("PASSED +endpoint_delivery_deduplicated");
    assertThat(exit).isZero();
  }

  /** The sample setlinfo with its own settlement id, so each example's settlement (and key) is new. */
  private static Path setlinfoWithId(String settlementId) throws IOException {
    ObjectNode document = (ObjectNode) JSON.readTree(SETLINFO.toFile());
    ((ObjectNode) document.path("setlinfo")).put("setl_id", settlementId);
    Path file = dir.resolve(settlementId + ".json");
    JSON.writeValue(file.toFile(), document);
    return file;
  }

  private static Run run(List<String> command, Path setlinfo) throws Exception {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of("--agent", bureauAgent.url(), "--token-file", bureauAgent.tokenFile().toString(),
        "--webhook-port", Integer.toString(bureauWebhookPort),
        "--webhook-secret-file", dir.resolve("bureau-agent").resolve("webhook.secret").toString(),
        "--product", PRODUCT, "--setlinfo", setlinfo.toString(), "--wait", "90"));
    Process p = new ProcessBuilder(all).directory(REPO.toFile())
        .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
    if (!p.waitFor(150, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new Run(p.isAlive() ? -1 : p.exitValue(), Files.readString(dir.resolve("out.txt")),
        Files.readString(dir.resolve("err.txt")));
  }

  record Run(int exit, String stdout, String stderr) {}

  private static boolean onPath(String program) {
    try {
      return new ProcessBuilder(program, "--version").redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * The lead insurer's own system, in plain HTTP: answers coverage questions (everyone asked is covered), takes
   * settlements by webhook (signature checked), and answers each with a claim result through its agent.
   */
  static final class InsurerSystem implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService claims = Executors.newSingleThreadExecutor();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Path secretFile;
    private final java.util.Map<String, List<JsonNode>> settlements = new java.util.concurrent.ConcurrentHashMap<>();
    final AtomicInteger badSignatures = new AtomicInteger();
    volatile Agent agent;

    InsurerSystem(Path secretFile) throws IOException {
      this.secretFile = secretFile;
      server = HttpServer.create(loopback(0), 0);
      server.createContext("/answer", this::answer);
      server.createContext("/webhook", this::webhook);
      server.start();
    }

    URI url(String path) {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int settlements(String settlementId) {
      return settlements.getOrDefault(settlementId, List.of()).size();
    }

    long medicalFeeTotalFen(String settlementId) {
      return settlements.get(settlementId).get(0).path("payload").path("medicalFeeTotalFen").asLong();
    }

    private void answer(HttpExchange exchange) throws IOException {
      try (exchange) {
        JsonNode question = JSON.readTree(exchange.getRequestBody().readAllBytes());
        ObjectNode reply = JSON.createObjectNode();
        if (!"coverage-query".equals(question.path("type").asText())) {
          // This insurer's system answers coverage only; the agent tells the asker NOT_IMPLEMENTED.
          reply.putObject("error").put("reason", "NOT_IMPLEMENTED").put("message", "this system answers coverage only");
          respond(exchange, 404, JSON.writeValueAsBytes(reply));
          return;
        }
        reply.putObject("payload").put("covered", true).put("productCode", question.path("product").asText())
            .put("policyNumber", "POL-210200-000001");
        respond(exchange, 200, JSON.writeValueAsBytes(reply));
      }
    }

    private void webhook(HttpExchange exchange) throws IOException {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String timestamp = exchange.getRequestHeaders().getFirst("Hmb-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("Hmb-Signature");
        if (timestamp == null || !("v1=" + hmac(timestamp, body)).equals(signature)) {
          badSignatures.incrementAndGet();
          respond(exchange, 401, new byte[0]);
          return;
        }
        JsonNode message = JSON.readTree(body);
        if ("settlement-data".equals(message.path("type").asText())) {
          String settlementId = message.path("payload").path("settlementId").asText();
          List<JsonNode> seen = settlements.computeIfAbsent(settlementId, k -> new java.util.concurrent.CopyOnWriteArrayList<>());
          if (seen.stream().noneMatch(m -> m.path("id").equals(message.path("id")))) {
            seen.add(message);
            claims.execute(() -> publishClaim(message));
          }
        }
        respond(exchange, 204, new byte[0]);
      }
    }

    private void publishClaim(JsonNode settlement) {
      JsonNode s = settlement.path("payload");
      ObjectNode request = JSON.createObjectNode();
      request.put("to", settlement.path("sender").asText()).put("product", settlement.path("product").asText())
          .put("idempotencyKey", "claim-" + s.path("settlementId").asText());
      request.putObject("payload").put("claimNumber", "CLM-" + s.path("settlementId").asText()).put("version", 1)
          .put("settlementId", s.path("settlementId").asText()).put("productCode", settlement.path("product").asText())
          .put("outcome", "OUTCOME_COMPLETE").put("payoutFen", Long.toString(PAYOUT_FEN))
          .put("claimedFen", Long.toString(PAYOUT_FEN));
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(agent.url() + "/v1/claim-result"))
            .header("Authorization", "Bearer " + Files.readString(agent.tokenFile()).strip())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request))).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
          throw new IllegalStateException("claim result refused: " + r.statusCode() + " " + r.body());
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private String hmac(String timestamp, byte[] body) throws IOException {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Files.readString(secretFile, StandardCharsets.US_ASCII).strip()
            .getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(mac.doFinal(body));
      } catch (java.security.GeneralSecurityException e) {
        throw new IOException(e);
      }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
    }

    @Override
    public void close() {
      server.stop(0);
      claims.shutdownNow();
    }
  }
}
