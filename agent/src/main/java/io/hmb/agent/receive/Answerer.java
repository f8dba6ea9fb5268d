package io.hmb.agent.receive;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.util.JsonFormat;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.client.InvalidPayloadException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a pass-through question by asking the local system: POSTs the received-message JSON plus
 * {@code "deadlineMs"} to the answer URL and waits at most that long. 200 {@code {"payload": {...}}} in the
 * answer type's JSON (unknown fields refused) is the answer; 4xx {@code {"error": {"reason":
 * "PAYLOAD_INVALID", "message", "field"?}}} refuses the question's payload (the asker gets PAYLOAD_INVALID,
 * with the message, which must name the rule, never the person); {@code "reason": "NOT_IMPLEMENTED"} says the
 * local system answers no such question. Everything else is the recipient failing, and the asker hears so in
 * time, never a hang: no whole answer in time is RECIPIENT_TIMEOUT (the outcome is unknown: retry with the
 * same idempotency key), a 5xx, no connection, another 4xx or an answer that does not parse is
 * RECIPIENT_UNAVAILABLE. Those messages reach the asker, so they say what failed (status, shape), never a
 * value of the answer.
 */
final class Answerer {
  private static final Logger LOG = LoggerFactory.getLogger(Answerer.class);
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);
  /** Kept out of the time left, to seal the answer and send it back: 10% of it, 100 ms to 1 s. */
  static final double MARGIN_FRACTION = 0.10;
  static final Duration MARGIN_FLOOR = Duration.ofMillis(100);
  static final Duration MARGIN_CEILING = Duration.ofSeconds(1);
  /** Less than this left for the local system: it is not asked at all. */
  static final Duration LEAST_USEFUL = Duration.ofMillis(20);
  private static final int MAX_MESSAGE_CHARS = 200;
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  private final URI url;
  private final SignedPost post;

  Answerer(URI url, SignedPost post) {
    this.url = url;
    this.post = post;
  }

  /** How long the local system gets when the question has {@code left} before its deadline. */
  static Duration budget(Duration left) {
    long margin = Math.min(Math.max((long) (left.toNanos() * MARGIN_FRACTION), MARGIN_FLOOR.toNanos()),
        MARGIN_CEILING.toNanos());
    return Duration.ofNanos(Math.max(0, left.toNanos() - margin));
  }

  /**
   * The answer to {@code question}, asked within {@code left} less the margin.
   *
   * @throws InvalidPayloadException the local system refused the question's payload
   * @throws StatusRuntimeException an hmb.v1 error for the asker
   */
  MessageLite answer(ReceivedMessage question, Duration left) throws InterruptedException {
    MessageType answerType = MessageCatalog.answerTo(question.type());
    Duration budget = budget(left);
    if (budget.compareTo(LEAST_USEFUL) < 0) {
      LOG.warn("answer URL not asked, no time left messageId={} type={}", question.id(), question.type());
      throw timeout(question);
    }
    ObjectNode body = question.toJsonNode();
    body.put("deadlineMs", budget.toMillis());
    SignedPost.Reply reply;
    try {
      reply = post.post(url, question.id(), ReceivedMessage.JSON.writeValueAsBytes(body), budget);
    } catch (TimeoutException e) {
      LOG.warn("answer URL did not answer in {} ms messageId={} type={}", budget.toMillis(), question.id(),
          question.type());
      throw timeout(question);
    } catch (IOException e) {
      LOG.warn("answer URL unreachable messageId={} type={} ({})", question.id(), question.type(),
          e.getClass().getSimpleName());
      throw unavailable(question, "could not be reached (" + e.getClass().getSimpleName() + ")");
    }
    if (reply.status() == 200) {
      return parseAnswer(question, answerType, reply.body());
    }
    if (reply.status() >= 400 && reply.status() < 500) {
      throw refusal(question, reply);
    }
    LOG.warn("answer URL failed messageId={} type={} status={}", question.id(), question.type(), reply.status());
    throw unavailable(question, "answered HTTP " + reply.status());
  }

  private static MessageLite parseAnswer(ReceivedMessage question, MessageType answerType, byte[] body) {
    String what = "hmb.v1." + descriptorName(answerType);
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (IOException e) {
      throw badAnswer(question, "answered 200 with a body that is not JSON");
    }
    JsonNode payload = root == null ? null : root.get("payload");
    if (payload == null || !payload.isObject() || root.size() != 1) {
      throw badAnswer(question, "answered 200 without the form {\"payload\": {...}}");
    }
    Message.Builder builder = defaultInstance(answerType).newBuilderForType();
    try {
      PARSER.merge(payload.toString(), builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // JsonFormat's message can quote a value of the answer (personal data): only its shape is told.
      throw badAnswer(question, "answered a payload that is not a " + what
          + " in protobuf's JSON mapping (an unknown field, or a value of the wrong type)");
    }
    return builder.build();
  }

  private static RuntimeException refusal(ReceivedMessage question, SignedPost.Reply reply) {
    JsonNode error = null;
    try {
      JsonNode root = STRICT.readTree(reply.body());
      error = root == null ? null : root.get("error");
    } catch (IOException notJson) {
      // below: not the form
    }
    String reason = error != null && error.path("reason").isTextual() ? error.get("reason").asText() : "";
    String message = error != null && error.path("message").isTextual() ? cut(error.get("message").asText()) : "";
    String field = error != null && error.path("field").isTextual() ? error.get("field").asText() : "payload";
    if (ErrorReason.PAYLOAD_INVALID.name().equals(reason)) {
      LOG.info("answer URL refused the payload messageId={} type={}", question.id(), question.type());
      return new InvalidPayloadException(field, message.isEmpty() ? "the recipient refused the payload" : message);
    }
    if (ErrorReason.NOT_IMPLEMENTED.name().equals(reason)) {
      return Errors.of(ErrorReason.NOT_IMPLEMENTED, question.type() + " is not answered by this recipient");
    }
    LOG.warn("answer URL refused the agent's call messageId={} type={} status={}", question.id(), question.type(),
        reply.status());
    return unavailable(question, "answered HTTP " + reply.status() + (reason.isEmpty() ? " without an error reason"
        : " with reason " + cut(reason)) + " (only PAYLOAD_INVALID and NOT_IMPLEMENTED are answers)");
  }

  private static StatusRuntimeException badAnswer(ReceivedMessage question, String what) {
    LOG.warn("answer URL answered badly messageId={} type={}: {}", question.id(), question.type(), what);
    return unavailable(question, what);
  }

  private static StatusRuntimeException timeout(ReceivedMessage question) {
    return Errors.retryAfter(ErrorReason.RECIPIENT_TIMEOUT, "the recipient's system did not answer message "
        + question.id() + " in time; the outcome is unknown, retry with the same idempotency key", RETRY_AFTER);
  }

  private static StatusRuntimeException unavailable(ReceivedMessage question, String what) {
    return Errors.retryAfter(ErrorReason.RECIPIENT_UNAVAILABLE, "the recipient's system (its agent's answer URL) "
        + what + " for message " + question.id() + "; retry later", Map.of(), RETRY_AFTER);
  }

  private static Message defaultInstance(MessageType type) {
    try {
      return (Message) MessageCatalog.entry(type).parser().parseFrom(ByteString.EMPTY);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the empty message does not parse as " + type, e);
    }
  }

  private static String descriptorName(MessageType type) {
    return defaultInstance(type).getDescriptorForType().getName();
  }

  private static String cut(String s) {
    return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
  }
}
