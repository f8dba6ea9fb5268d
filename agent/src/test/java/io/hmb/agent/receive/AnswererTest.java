package io.hmb.agent.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.ErrorReason;
import io.hmb.client.InvalidPayloadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Questions asked of a real local HTTP server, and how each kind of answer reaches the asker. */
class AnswererTest {
  @TempDir Path state;
  private LocalSystem local;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    if (local != null) {
      local.close();
    }
  }

  private Answerer answerer(LocalSystem.Behaviour b) throws Exception {
    local = new LocalSystem(b);
    return new Answerer(local.url(), new SignedPost(WebhookSecret.loadOrCreate(state.resolve("webhook.secret")),
        Clock.systemUTC()));
  }

  private static ErrorReason reason(Throwable t) {
    return Errors.reason(t).orElseThrow();
  }

  @Test
  void a200PayloadIsTheAnswerAndTheQuestionIsSignedWithItsDeadline() throws Exception {
    Answerer a = answerer((n, call) -> new LocalSystem.Reply(200,
        "{\"payload\": {\"covered\": true, \"productCode\": \"dalian-2025-basic\", \"policyNumber\": \"P-1\"}}"));
    ReceivedMessage q = Fixtures.coverageQuestion();

    CoverageDecision d = (CoverageDecision) a.answer(q, Duration.ofSeconds(5));

    assertThat(d.getCovered()).isTrue();
    assertThat(d.getPolicyNumber()).isEqualTo("P-1");
    LocalSystem.Call call = local.calls().get(0);
    String secret = Files.readString(state.resolve("webhook.secret")).strip();
    assertThat(call.header("Hmb-Signature"))
        .isEqualTo(WebhookDispatcherTest.hmac(secret, call.header("Hmb-Timestamp"), call.body()));
    JsonNode body = ReceivedMessage.JSON.readTree(call.body());
    assertThat(body.get("type").asText()).isEqualTo("coverage-query");
    assertThat(body.get("id").asText()).isEqualTo(q.id());
    assertThat(body.has("idempotencyKey")).as("a question without a key").isFalse();
    assertThat(body.get("payload").get("person").get("certNumber").asText()).isEqualTo(Fixtures.CERT);
    // 5 s left: the margin is 10% (500 ms); the local system is told what remains.
    assertThat(body.get("deadlineMs").asLong()).isBetween(4000L, 4500L);
  }

  @Test
  void anUnknownFieldOrAWrongShapeIsTheRecipientFailingWithoutQuotingTheAnswer() throws Exception {
    String[] bodies = {"{\"payload\": {\"covered\": true, \"patientPhone\": \"13800138000\"}}",
        "{\"covered\": true}", "not json", "{\"payload\": {\"covered\": \"13800138000\"}}",
        "{\"payload\": {}, \"payload\": {}}"};
    for (String body : bodies) {
      Answerer a = answerer((n, call) -> new LocalSystem.Reply(200, body));
      assertThatThrownBy(() -> a.answer(Fixtures.coverageQuestion(), Duration.ofSeconds(5))).as(body)
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(reason(e)).isEqualTo(ErrorReason.RECIPIENT_UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).doesNotContain("13800138000");
            assertThat(Errors.retryDelay(e)).isPresent();
          });
      local.close();
    }
  }

  @Test
  void payloadInvalidFromTheLocalSystemIsPayloadInvalidToTheAsker() throws Exception {
    Answerer a = answerer((n, call) -> new LocalSystem.Reply(400,
        "{\"error\": {\"reason\": \"PAYLOAD_INVALID\", \"message\": \"hospital_code is not one of ours\", "
            + "\"field\": \"hospital_code\"}}"));
    assertThatThrownBy(() -> a.answer(Fixtures.coverageQuestion(), Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(InvalidPayloadException.class, e -> {
          assertThat(e.field()).isEqualTo("hospital_code");
          assertThat(e.getMessage()).isEqualTo("hospital_code is not one of ours");
        });
  }

  @Test
  void notImplementedAndOther4xx() throws Exception {
    Answerer a = answerer((n, call) -> new LocalSystem.Reply(400, "{\"error\": {\"reason\": \"NOT_IMPLEMENTED\"}}"));
    assertThatThrownBy(() -> a.answer(Fixtures.coverageQuestion(), Duration.ofSeconds(5)))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(ErrorReason.NOT_IMPLEMENTED));
    local.close();
    Answerer b = answerer((n, call) -> new LocalSystem.Reply(404, ""));
    assertThatThrownBy(() -> b.answer(Fixtures.coverageQuestion(), Duration.ofSeconds(5)))
        .satisfies(e -> {
          assertThat(reason(e)).isEqualTo(ErrorReason.RECIPIENT_UNAVAILABLE);
          assertThat(e.getMessage()).contains("HTTP 404");
        });
  }

  @Test
  void a5xxOrNoConnectionIsRecipientUnavailable() throws Exception {
    Answerer a = answerer((n, call) -> LocalSystem.Reply.of(503));
    assertThatThrownBy(() -> a.answer(Fixtures.coverageQuestion(), Duration.ofSeconds(5)))
        .satisfies(e -> {
          assertThat(reason(e)).isEqualTo(ErrorReason.RECIPIENT_UNAVAILABLE);
          assertThat(e.getMessage()).contains("HTTP 503");
        });
    local.close(); // nothing listens on its port any more
    assertThatThrownBy(() -> a.answer(Fixtures.coverageQuestion(), Duration.ofSeconds(5)))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(ErrorReason.RECIPIENT_UNAVAILABLE));
  }

  @Test
  void aSlowLocalSystemIsRecipientTimeoutWithinTheTimeLeft() throws Exception {
    Answerer a = answerer((n, call) -> {
      release.await(); // never answers within the test
      return LocalSystem.Reply.of(200);
    });
    long start = System.nanoTime();
    assertThatThrownBy(() -> a.answer(Fixtures.coverageQuestion(), Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(reason(e)).isEqualTo(ErrorReason.RECIPIENT_TIMEOUT);
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        });
    // Bounded by the time left less the margin (900 ms), never the local system's pace; generous for a busy box.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(local.callCount()).isEqualTo(1);
  }

  @Test
  void noTimeLeftMeansTheLocalSystemIsNotAsked() throws Exception {
    Answerer a = answerer((n, call) -> LocalSystem.Reply.of(200));
    assertThatThrownBy(() -> a.answer(Fixtures.coverageQuestion(), Duration.ofMillis(100)))
        .satisfies(e -> assertThat(reason(e)).isEqualTo(ErrorReason.RECIPIENT_TIMEOUT));
    assertThat(local.callCount()).isZero();
    assertThat(Answerer.budget(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(59));
    assertThat(Answerer.budget(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(400));
  }
}
