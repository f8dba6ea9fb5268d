package io.hmb.agent.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hmb.agent.AgentConfig;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.SettlementData;
import io.hmb.cli.demo.DemoNetwork;
import io.hmb.client.Answer;
import io.hmb.client.BureauClient;
import io.hmb.client.GatewayClient;
import io.hmb.client.GatewayException;
import io.hmb.client.RetryPolicy;
import io.hmb.gateway.admin.MessageCounts;
import io.hmb.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's receiving part against a real gateway (TLS, PostgreSQL, the SDK on both sides): a lead insurer's
 * agent takes a bureau's settlement from its inbox and hands it to a webhook, signed; another's local system
 * long-polls and acknowledges; a third serves its endpoint and answers the bureau's coverage checks through its
 * answer URL, and a slow or failing answer URL reaches the bureau as an hmb.v1 error within its deadline.
 * One city each, so the gateway's per-city counts say what is still in flight for that agent.
 */
class ReceivingEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String DALIAN = "210200";
  static final String LIAOCHENG = "371500";
  static final String WUWEI = "620600";

  @TempDir static Path dir;
  static DemoNetwork net;
  static MessageCounts.Mark mark;

  @BeforeAll
  static void start() throws Exception {
    net = DemoNetwork.start(dir.resolve("gateway"));
    mark = net.gateway().admin().messageMark();
  }

  @AfterAll
  static void stop() throws Exception {
    if (net != null) {
      net.close();
    }
  }

  static ReceivingAgent agent(String code, AgentConfig.Receive receive, URI webhook, URI answer) throws Exception {
    Path state = dir.resolve("agent-" + code);
    AgentConfig config = ReceivingAgent.config(net.keys().resolve(code), net.keys().resolve("ca.crt"),
        "localhost:" + net.gateway().port(), state, receive, webhook, answer);
    return net.track(ReceivingAgent.start(config, net.connect(code).client()));
  }

  static SettlementData settlement(String id) {
    return SettlementData.newBuilder().setSettlementId(id).setVisitId("V-" + id).setInsuranceType("390")
        .setPerson(Person.newBuilder().setCertType("01").setCertNumber("210203199001011239").setName("张三"))
        .setMedicalFeeTotalFen(4_823_657L).setPoolFundPayFen(2_000_000L).build();
  }

  static long inFlight(String city) throws Exception {
    MessageCounts.Counts c = net.gateway().admin().messagesByCity(mark).get(city);
    return c == null ? 0 : c.inFlight();
  }

  static boolean quiet(String city) {
    try {
      return inFlight(city) == 0;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aSettlementFromTheBureauReachesTheWebhookSignedAndIsAcknowledgedToTheGateway() throws Exception {
    String lead = "INSURER-LEAD-" + DALIAN;
    Path secret = dir.resolve("agent-" + lead).resolve("webhook.secret");
    RecordingLocalSystem local = net.track(new RecordingLocalSystem(secret, call -> new RecordingLocalSystem.Reply(200, "")));
    ReceivingAgent agent = agent(lead, AgentConfig.Receive.INBOX, local.url(), null);

    BureauClient bureau = new BureauClient(net.connect("BUREAU-" + DALIAN).client());
    Acceptance accepted = bureau.submitSettlement("dalian-2025-basic", "settle-" + UUID.randomUUID(), settlement("S-D1"));

    Await.until("the settlement at the webhook", () -> !local.taken().isEmpty());
    RecordingLocalSystem.Call call = local.taken().get(0);
    assertThat(call.messageId()).isEqualTo(accepted.getMessageId());
    JsonNode body = JSON.readTree(call.body());
    assertThat(body.get("id").asText()).isEqualTo(accepted.getMessageId());
    assertThat(body.get("type").asText()).isEqualTo("settlement-data");
    assertThat(body.get("sender").asText()).isEqualTo("BUREAU-" + DALIAN);
    assertThat(body.get("admdvs").asText()).isEqualTo(DALIAN);
    assertThat(body.get("product").asText()).isEqualTo("dalian-2025-basic");
    assertThat(body.get("payload").get("settlementId").asText()).isEqualTo("S-D1");
    assertThat(body.get("payload").get("medicalFeeTotalFen").asText()).isEqualTo("4823657");
    assertThat(local.badSignatures()).isZero();
    Await.until("nothing pending at the agent", () -> agent.receiving.inboundPending() == 0);
    Await.until("the gateway's record acknowledged", () -> quiet(DALIAN));
    assertThat(local.taken()).hasSize(1);
  }

  @Test
  void aLocalSystemWithoutAWebhookLongPollsAndAcknowledges() throws Exception {
    String lead = "INSURER-LEAD-" + LIAOCHENG;
    ReceivingAgent agent = agent(lead, AgentConfig.Receive.INBOX, null, null);
    BureauClient bureau = new BureauClient(net.connect("BUREAU-" + LIAOCHENG).client());
    Acceptance accepted = bureau.submitSettlement("liaocheng-2024", "settle-" + UUID.randomUUID(), settlement("S-L1"));

    JsonNode messages = JSON.createArrayNode();
    long end = System.nanoTime() + Await.DEFAULT_TIMEOUT.toNanos();
    while (messages.isEmpty() && System.nanoTime() < end) {
      messages = JSON.readTree(get(agent, "/v1/inbox?wait=5").body()).get("messages");
    }
    assertThat(messages).extracting(m -> m.get("id").asText()).containsExactly(accepted.getMessageId());
    assertThat(messages.get(0).get("payload").get("settlementId").asText()).isEqualTo("S-L1");
    // On the agent's disk, so the gateway has its acknowledgement, whether or not the local system took it yet.
    Await.until("the gateway's record acknowledged", () -> quiet(LIAOCHENG));
    assertThat(agent.receiving.inboundPending()).isEqualTo(1);

    HttpResponse<String> ack = HTTP.send(HttpRequest.newBuilder(agent.api("/v1/inbox/" + accepted.getMessageId() + "/ack"))
        .header("Authorization", "Bearer " + agent.token).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ack.statusCode()).isEqualTo(204);
    assertThat(agent.receiving.inboundPending()).isZero();
    assertThat(JSON.readTree(get(agent, "/v1/inbox").body()).get("messages")).isEmpty();
  }

  /** The Wuwei lead insurer's agent serves its endpoint; its answer URL is {@code answers}. */
  @Test
  void questionsAreAnsweredThroughTheAnswerUrlAndItsFailuresReachTheAskerInTime() throws Exception {
    String lead = "INSURER-LEAD-" + WUWEI;
    Path secret = dir.resolve("agent-" + lead).resolve("webhook.secret");
    RecordingLocalSystem answers = net.track(new RecordingLocalSystem(secret, call -> new RecordingLocalSystem.Reply(200,
        "{\"payload\": {\"covered\": true, \"productCode\": \"wuwei-2025-basic\", \"policyNumber\": \"WW-0001\"}}")));
    ReceivingAgent agent = agent(lead, AgentConfig.Receive.ENDPOINT, null, answers.url());
    net.gateway().admin().setEndpoint(lead, Optional.of(agent.endpointAddress()));
    // One attempt per call, so that each failure below is the one the bureau heard.
    io.grpc.ManagedChannel channel = net.participant("BUREAU-" + WUWEI).channel("localhost:" + net.gateway().port());
    net.track((AutoCloseable) channel::shutdownNow);
    GatewayClient bureauClient = GatewayClient.builder("BUREAU-" + WUWEI).channel(channel)
        .signingKey(net.participant("BUREAU-" + WUWEI).signingKey()).retryPolicy(RetryPolicy.none()).build();
    BureauClient bureau = new BureauClient(bureauClient).withDeadline(Duration.ofSeconds(5));
    CoverageQuery query = CoverageQuery.newBuilder()
        .setPerson(Person.newBuilder().setCertType("01").setCertNumber("620602198805054321")).build();

    // The registry cache refreshes within seconds: until then the gateway may not know the endpoint.
    AtomicReference<Answer<CoverageDecision>> answer = new AtomicReference<>();
    Await.until("a coverage answer through the endpoint", () -> {
      try {
        answer.set(bureau.checkCoverage("wuwei-2025-basic", query));
        return true;
      } catch (GatewayException e) {
        return false;
      }
    });
    assertThat(answer.get().payload().getCovered()).isTrue();
    assertThat(answer.get().payload().getPolicyNumber()).isEqualTo("WW-0001");
    assertThat(answer.get().sender()).isEqualTo(lead);
    JsonNode asked = JSON.readTree(answers.taken().get(answers.taken().size() - 1).body());
    assertThat(asked.get("type").asText()).isEqualTo("coverage-query");
    assertThat(asked.get("payload").get("person").get("certNumber").asText()).isEqualTo("620602198805054321");
    assertThat(asked.get("deadlineMs").asLong()).isPositive().isLessThan(5000);

    // 5xx: the bureau gets RECIPIENT_UNAVAILABLE saying it was the insurer's system.
    answers.behave(call -> new RecordingLocalSystem.Reply(503, ""));
    assertThatThrownBy(() -> bureau.checkCoverage("wuwei-2025-basic", query))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).contains(ErrorReason.RECIPIENT_UNAVAILABLE);
          assertThat(e.getMessage()).contains("answer URL").contains("HTTP 503");
        });

    // Refused payload: PAYLOAD_INVALID with the local system's field.
    answers.behave(call -> new RecordingLocalSystem.Reply(422,
        "{\"error\": {\"reason\": \"PAYLOAD_INVALID\", \"message\": \"date is required\", \"field\": \"date\"}}"));
    assertThatThrownBy(() -> bureau.checkCoverage("wuwei-2025-basic", query))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).contains(ErrorReason.PAYLOAD_INVALID);
          assertThat(e.metadata()).containsEntry("field", "date");
        });

    // Never answers: the bureau hears RECIPIENT_TIMEOUT, an hmb.v1 reason, so not its own 5 s deadline cutting
    // the call (that would carry no reason).
    CountDownLatch never = new CountDownLatch(1);
    answers.behave(call -> {
      never.await();
      return new RecordingLocalSystem.Reply(200, "{}");
    });
    try {
      assertThatThrownBy(() -> bureau.checkCoverage("wuwei-2025-basic", query))
          .isInstanceOfSatisfying(GatewayException.class,
              e -> assertThat(e.reason()).as(e.getMessage()).contains(ErrorReason.RECIPIENT_TIMEOUT));
    } finally {
      never.countDown();
    }

    // The endpoint takes pushed deliveries too: without a webhook they wait in the long-poll inbox.
    Acceptance accepted = new BureauClient(net.connect("BUREAU-" + WUWEI).client())
        .submitSettlement("wuwei-2025-basic", "settle-" + UUID.randomUUID(), settlement("S-W1"));
    Await.until("the pushed settlement at the agent", () -> agent.receiving.inboundPending() == 1);
    JsonNode messages = JSON.readTree(get(agent, "/v1/inbox").body()).get("messages");
    assertThat(messages).extracting(m -> m.get("id").asText()).containsExactly(accepted.getMessageId());
    Await.until("the push acknowledged", () -> quiet(WUWEI));
  }

  static HttpResponse<String> get(ReceivingAgent agent, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(agent.api(path)).header("Authorization", "Bearer " + agent.token).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
