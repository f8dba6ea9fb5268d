package io.hmb.agent.receive;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hmb.agent.store.DurableQueue;
import io.hmb.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook dispatcher against a real local HTTP server. */
class WebhookDispatcherTest {
  private static final Duration FAST = Duration.ofMillis(50);
  @TempDir Path state;
  private LocalSystem local;
  private Inbound inbound;
  private WebhookDispatcher dispatcher;

  @AfterEach
  void stop() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (inbound != null) {
      inbound.close();
    }
    if (local != null) {
      local.close();
    }
  }

  private void start(Duration callTimeout) throws Exception {
    inbound = new Inbound(DurableQueue.open(state.resolve("inbound")));
    SignedPost post = new SignedPost(WebhookSecret.loadOrCreate(state.resolve("webhook.secret")), Clock.systemUTC());
    dispatcher = new WebhookDispatcher(inbound, local.url(), post, callTimeout, FAST, Duration.ofMillis(200));
    dispatcher.start();
  }

  private String secret() throws Exception {
    return Files.readString(state.resolve("webhook.secret"), StandardCharsets.US_ASCII).strip();
  }

  static String hmac(String secret, String timestamp, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
    return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  @Test
  void postsTheStoredJsonSignedAndMarksItDoneAfterA2xx() throws Exception {
    local = new LocalSystem((n, call) -> LocalSystem.Reply.of(204));
    start(WebhookDispatcher.CALL_TIMEOUT);
    ReceivedMessage m = Fixtures.settlement("S1");
    inbound.store(m);

    Await.until("the webhook's call", () -> local.callCount() == 1);
    Await.until("the message marked done", () -> inbound.isDone(m.id()));
    LocalSystem.Call call = local.calls().get(0);
    assertThat(call.header("Hmb-Message-Id")).isEqualTo(m.id());
    assertThat(call.header("Content-Type")).startsWith("application/json");
    long ts = Long.parseLong(call.header("Hmb-Timestamp"));
    assertThat(Math.abs(ts - System.currentTimeMillis() / 1000)).isLessThan(300);
    assertThat(call.header("Hmb-Signature")).isEqualTo(hmac(secret(), call.header("Hmb-Timestamp"), call.body()));
    assertThat(call.header("Hmb-Signature")).isNotEqualTo(hmac(secret() + "x", call.header("Hmb-Timestamp"), call.body()));
    assertThat(Files.getPosixFilePermissions(state.resolve("webhook.secret")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    JsonNode body = ReceivedMessage.JSON.readTree(call.body());
    assertThat(body.get("id").asText()).isEqualTo(m.id());
    assertThat(body.get("type").asText()).isEqualTo("settlement-data");
    assertThat(body.get("sender").asText()).isEqualTo("BUREAU-210200");
    assertThat(body.get("product").asText()).isEqualTo("dalian-2025-basic");
    assertThat(body.get("idempotencyKey").asText()).isEqualTo("settle-S1");
    assertThat(body.get("createTime").asText()).isEqualTo("2026-12-02T08:00:00Z");
    assertThat(body.get("attempt").asInt()).isEqualTo(1);
    JsonNode payload = body.get("payload");
    assertThat(payload.get("settlementId").asText()).isEqualTo("S1");
    assertThat(payload.get("medicalFeeTotalFen").isTextual()).as("int64 as a string").isTrue();
    assertThat(payload.get("medicalFeeTotalFen").asText()).isEqualTo("4823657");
    assertThat(payload.get("person").get("certNumber").asText()).isEqualTo(Fixtures.CERT);
    assertThat(inbound.pendingCount()).isZero();
  }

  @Test
  void retriesOn500AndMarksDoneOnlyAfterThe2xx() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    local = new LocalSystem((n, call) -> {
      if (n <= 2) {
        return LocalSystem.Reply.of(500);
      }
      release.await();
      return LocalSystem.Reply.of(200);
    });
    start(WebhookDispatcher.CALL_TIMEOUT);
    ReceivedMessage m = Fixtures.settlement("S2");
    inbound.store(m);

    Await.until("the third call, after two 500s", () -> local.callCount() == 3);
    // The third call is held open: the message has been refused twice and not yet taken.
    assertThat(inbound.isDone(m.id())).isFalse();
    assertThat(inbound.pendingCount()).isEqualTo(1);
    release.countDown();
    Await.until("the message marked done", () -> inbound.isDone(m.id()));
    List<LocalSystem.Call> calls = local.calls();
    assertThat(calls).extracting(c -> c.header("Hmb-Message-Id")).containsOnly(m.id());
    assertThat(calls).extracting(LocalSystem.Call::text).containsOnly(calls.get(0).text());
  }

  @Test
  void aCallThatTakesTooLongIsRetried() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    local = new LocalSystem((n, call) -> {
      if (n == 1) {
        never.await(); // hangs until the test ends: the dispatcher's bound must end it
      }
      return LocalSystem.Reply.of(200);
    });
    start(Duration.ofMillis(300));
    ReceivedMessage m = Fixtures.settlement("S3");
    inbound.store(m);
    Await.until("the message marked done after a timed-out first call", () -> inbound.isDone(m.id()));
    assertThat(local.callCount()).isGreaterThanOrEqualTo(2);
    never.countDown();
  }

  @Test
  void oldestFirstAndARefusedOneHoldsTheOnesBehindIt() throws Exception {
    ReceivedMessage first = Fixtures.settlement("A");
    ReceivedMessage second = Fixtures.settlement("B");
    ReceivedMessage third = Fixtures.settlement("C");
    local = new LocalSystem((n, call) -> LocalSystem.Reply.of(n == 1 ? 503 : 200));
    start(WebhookDispatcher.CALL_TIMEOUT);
    inbound.store(first);
    inbound.store(second);
    inbound.store(third);
    Await.until("all three taken", () -> inbound.pendingCount() == 0);
    assertThat(local.calls()).extracting(c -> c.header("Hmb-Message-Id"))
        .containsExactly(first.id(), first.id(), second.id(), third.id());
  }

  @Test
  void whatWasPendingAtAStopIsPostedAfterTheRestart() throws Exception {
    local = new LocalSystem((n, call) -> LocalSystem.Reply.of(500));
    start(WebhookDispatcher.CALL_TIMEOUT);
    ReceivedMessage m = Fixtures.settlement("S4");
    inbound.store(m);
    Await.until("a refused call", () -> local.callCount() >= 1);
    dispatcher.close();
    inbound.close();
    String secretBefore = secret();

    local.behave((n, call) -> LocalSystem.Reply.of(200));
    int before = local.callCount();
    start(WebhookDispatcher.CALL_TIMEOUT);
    Await.until("the message taken after the reopen", () -> inbound.isDone(m.id()));
    assertThat(local.callCount()).isGreaterThan(before);
    assertThat(secret()).as("the secret is made once").isEqualTo(secretBefore);
    // A redelivery of a taken message is recognised, not stored again.
    assertThat(inbound.store(m)).isFalse();
    assertThat(inbound.pendingCount()).isZero();
  }
}
