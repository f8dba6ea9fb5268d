package io.hmb.agent.receive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hmb.agent.http.AccessToken;
import io.hmb.agent.http.LocalApi;
import io.hmb.agent.store.DurableQueue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /v1/inbox and POST /v1/inbox/{id}/ack through the real local API. */
class InboxRoutesTest {
  @TempDir Path state;
  private final HttpClient http = HttpClient.newHttpClient();
  private Inbound inbound;
  private LocalApi api;
  private String token;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
    if (inbound != null) {
      inbound.close();
    }
  }

  private void start(boolean webhook) throws Exception {
    AccessToken access = AccessToken.loadOrCreate(state.resolve("agent.token"));
    token = Files.readString(state.resolve("agent.token")).strip();
    inbound = new Inbound(DurableQueue.open(state.resolve("inbound")));
    LocalApi.Builder b = LocalApi.builder(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), access);
    new InboxRoutes(inbound, webhook).addTo(b);
    api = b.start();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> ack(String id) throws Exception {
    return http.send(request("/v1/inbox/" + id + "/ack").POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return ReceivedMessage.JSON.readTree(r.body());
  }

  @Test
  void pendingMessagesOldestFirstUntilAcknowledged() throws Exception {
    start(false);
    assertThat(json(get("/v1/inbox")).get("messages")).isEmpty();
    ReceivedMessage a = Fixtures.settlement("A");
    ReceivedMessage b = Fixtures.settlement("B");
    inbound.store(a);
    inbound.store(b);

    HttpResponse<String> r = get("/v1/inbox");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("messages")).extracting(m -> m.get("id").asText()).containsExactly(a.id(), b.id());
    assertThat(json(r).get("messages").get(0).get("payload").get("medicalFeeTotalFen").asText()).isEqualTo("4823657");
    assertThat(json(get("/v1/inbox?max=1")).get("messages")).extracting(m -> m.get("id").asText())
        .containsExactly(a.id());

    assertThat(ack(a.id()).statusCode()).isEqualTo(204);
    assertThat(ack(a.id()).statusCode()).as("again: already done").isEqualTo(204);
    assertThat(json(get("/v1/inbox")).get("messages")).extracting(m -> m.get("id").asText()).containsExactly(b.id());
    HttpResponse<String> unknown = ack("00000000-0000-4000-8000-000000000000");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).get("error").get("reason").asText()).isEqualTo("UNKNOWN_MESSAGE");
    assertThat(ack("not%20a%20key").statusCode()).isEqualTo(404);
    assertThat(inbound.pendingCount()).isEqualTo(1);
  }

  @Test
  void aLongPollReturnsWhenAMessageArrives() throws Exception {
    start(false);
    long before = System.nanoTime();
    assertThat(json(get("/v1/inbox?wait=1")).get("messages")).isEmpty();
    assertThat(System.nanoTime() - before).as("an empty inbox is waited on").isGreaterThanOrEqualTo(900_000_000L);

    CompletableFuture<HttpResponse<String>> poll = http.sendAsync(request("/v1/inbox?wait=30").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    ReceivedMessage m = Fixtures.settlement("L");
    Thread.sleep(200); // a real pause, so that the poll is (most likely) waiting when the message arrives
    inbound.store(m);
    HttpResponse<String> r = poll.get(25, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(json(r).get("messages")).extracting(x -> x.get("id").asText()).containsExactly(m.id());
  }

  @Test
  void badParametersAreClearErrorsAndTheTokenIsRequired() throws Exception {
    start(false);
    for (String q : new String[] {"wait=31", "wait=-1", "wait=x", "max=0", "max=101"}) {
      HttpResponse<String> r = get("/v1/inbox?" + q);
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(json(r).get("error").get("reason").asText()).isEqualTo("INVALID_PARAMETER");
    }
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + api.port() + "/v1/inbox")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void withAWebhookTheInboxRoutesRefuse() throws Exception {
    start(true);
    HttpResponse<String> r = get("/v1/inbox");
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(json(r).get("error").get("reason").asText()).isEqualTo("WEBHOOK_CONFIGURED");
    assertThat(ack("00000000-0000-4000-8000-000000000000").statusCode()).isEqualTo(409);
  }
}
