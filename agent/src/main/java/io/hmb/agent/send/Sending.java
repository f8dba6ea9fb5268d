package io.hmb.agent.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import io.hmb.agent.AgentPart;
import io.hmb.agent.MessageNames;
import io.hmb.agent.http.ApiException;
import io.hmb.agent.http.ApiRequest;
import io.hmb.agent.http.ApiResponse;
import io.hmb.agent.http.LocalApi;
import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.MessageType;
import io.hmb.client.Answer;
import io.hmb.client.GatewayClient;
import io.hmb.client.GatewayException;
import io.hmb.client.IdempotencyKeys;
import io.hmb.client.OutboundMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of the agent: {@code POST /v1/{name}} for every sendable type of the {@link MessageCatalog}
 * (pass-through ones answered with the recipient's verified answer, store-and-forward ones through the durable
 * outbound store and a background resender), {@code POST /v1/settlement-data/setlinfo} and
 * {@code GET /v1/outbound/{idempotencyKey}}. The SDK seals, signs, opens and verifies; this class only reads
 * JSON, keeps the outbound store and maps refusals (docs/agent.md "Sending").
 */
public final class Sending implements AgentPart {
  private static final Logger LOG = LoggerFactory.getLogger(Sending.class);
  /** The resender's wait after a failed round: doubled each time up to {@link #MAX_BACKOFF}, reset on success. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final GatewayClient client;
  private final Duration defaultDeadline;
  private final Outbound outbound;
  private final SetlinfoRoute setlinfo;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final Object wake = new Object();
  private volatile boolean running;
  private Thread resender;

  /** Opens the outbound store in {@code outboundDir} ({@code STATE/outbound}); one agent per directory. */
  public Sending(GatewayClient client, Path outboundDir, Duration defaultDeadline) throws IOException {
    this.client = client;
    this.defaultDeadline = defaultDeadline;
    this.outbound = Outbound.open(outboundDir);
    this.setlinfo = new SetlinfoRoute(this);
  }

  /** As {@link io.hmb.agent.Agent} builds it: {@code STATE/outbound}, the configured call deadline. */
  public Sending(io.hmb.agent.Agent.Context context) throws IOException {
    this(context.client(), context.state("outbound"), context.config().callDeadline());
  }

  @Override
  public void addRoutes(LocalApi.Builder api) {
    for (MessageCatalog.Entry entry : MessageCatalog.entries().values()) {
      if (entry.sendable()) {
        MessageType type = entry.type();
        api.route("POST", "/v1/" + MessageNames.of(type), request -> send(type, request));
      }
    }
    api.route("POST", SetlinfoRoute.PATH, setlinfo::handle);
    api.route("GET", "/v1/outbound/{idempotencyKey}", this::status);
  }

  @Override
  public void start() {
    running = true;
    resender = new Thread(this::resend, "hmb-agent-resender");
    resender.setDaemon(true);
    resender.start();
  }

  @Override
  public void describeHealth(ObjectNode health) {
    health.put("outboundPending", outbound.pendingCount());
  }

  @Override
  public void close() {
    running = false;
    if (resender != null) {
      resender.interrupt();
      try {
        resender.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      outbound.close();
    } catch (IOException e) {
      LOG.warn("outbound store did not close cleanly: {}", e.getClass().getName());
    }
  }

  private ApiResponse send(MessageType type, ApiRequest request) throws ApiException {
    SendRequest req = SendRequest.read(type, request.jsonObject());
    if (MessageCatalog.is(type, MessageCatalog.Kind.PASS_THROUGH)) {
      return exchange(req);
    }
    return storeAndForward(req.type(), req.to(), req.product(), req.admdvs(), req.idempotencyKey(), req.deadline(),
        req.payload(), null);
  }

  private ApiResponse exchange(SendRequest req) throws ApiException {
    MessageType answerType = MessageCatalog.answerTo(req.type());
    OutboundMessage m = req.outbound(req.idempotencyKey(), defaultDeadline);
    Answer<? extends MessageLite> answer;
    try {
      answer = client.exchange(m, MessageCatalog.entry(answerType).parser());
    } catch (GatewayException e) {
      LOG.info("pass-through refused: type={} to={} reason={} status={}", MessageNames.of(req.type()),
          addressee(req.to(), req.product()), e.reason().map(Enum::name).orElse("-"), e.status().getCode());
      throw Refusals.toApi(e);
    }
    LOG.info("pass-through answered: type={} to={} message_id={} answer_id={}", MessageNames.of(req.type()),
        addressee(req.to(), req.product()), answer.requestMessageId(), answer.messageId());
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("messageId", answer.messageId());
    body.put("type", MessageNames.of(answerType));
    body.put("sender", answer.sender());
    body.put("correlationId", answer.correlationId());
    if (req.idempotencyKey() != null) {
      body.put("idempotencyKey", req.idempotencyKey());
    }
    body.set("payload", PayloadJson.print((Message) answer.payload()));
    return ApiResponse.json(200, body);
  }

  /**
   * Stores the message under its key (made here when the caller gave none) before the gateway is called, then
   * tries once within the deadline: 200 ACCEPTED, the refusal, or 202 QUEUED for the resender. A repeat of the
   * key with the same request gets the same answer; with another request, 409 IDEMPOTENCY_KEY_REUSED.
   *
   * @param extra fields added to a 200 or 202 answer (the setlinfo route's non-blocking problems), or null
   */
  ApiResponse storeAndForward(MessageType type, String to, String product, String admdvs, String givenKey,
      Duration deadline, Message payload, ObjectNode extra) throws ApiException {
    String key = givenKey != null ? givenKey : IdempotencyKeys.random();
    String digest = Outbound.digest(type, to, product, admdvs, payload);
    Outbound.Pending p = new Outbound.Pending(key, type, to, product, admdvs, digest, Outbound.deterministic(payload));
    // Held before it is stored, so the resender does not take a new record from under this request.
    boolean held = inFlight.add(key);
    try {
      Optional<Outbound.Known> known = outbound.put(p);
      if (known.isPresent()) {
        if (!known.get().digest().equals(digest)) {
          throw new ApiException(409, "IDEMPOTENCY_KEY_REUSED", "idempotency key " + key + " was used for another "
              + "request (other type, recipient, product, admdvs or payload); a new operation needs a new key");
        }
        if (known.get().outcome() != null) {
          return answer(known.get().outcome(), extra);
        }
      } else {
        LOG.info("outbound stored: key={} type={} to={}", key, MessageNames.of(type), addressee(to, product));
      }
      Optional<ObjectNode> outcome = held ? attemptHeld(p, deadline != null ? deadline : defaultDeadline) : Optional.empty();
      if (outcome.isPresent()) {
        return answer(outcome.get(), extra);
      }
    } finally {
      if (held) {
        inFlight.remove(key);
      }
    }
    ObjectNode queued = Json.MAPPER.createObjectNode().put("status", "QUEUED").put("idempotencyKey", key);
    if (extra != null) {
      queued.setAll(extra);
    }
    return ApiResponse.json(202, queued);
  }

  /**
   * One attempt at the gateway, unless another is in flight for the key. Returns the outcome when decided
   * (accepted, or refused for good), recorded before the queue entry is done; empty when it stays queued.
   */
  private Optional<ObjectNode> attempt(Outbound.Pending p, Duration deadline) {
    if (!inFlight.add(p.key())) {
      return Optional.empty();
    }
    try {
      return attemptHeld(p, deadline);
    } finally {
      inFlight.remove(p.key());
    }
  }

  /** {@link #attempt} by whoever holds the key's in-flight mark. */
  private Optional<ObjectNode> attemptHeld(Outbound.Pending p, Duration deadline) {
    {
      Optional<Outbound.Known> now = outbound.known(p.key());
      if (now.isPresent() && now.get().outcome() != null) {
        return Optional.of((ObjectNode) now.get().outcome()); // decided meanwhile (the resender, or before a crash)
      }
      ObjectNode outcome = Json.MAPPER.createObjectNode().put("idempotencyKey", p.key())
          .put("type", MessageNames.of(p.type())).put("digest", p.digest());
      try {
        Acceptance a = client.submit(message(p, deadline));
        outcome.put("status", "ACCEPTED").put("messageId", a.getMessageId()).set("acceptance", PayloadJson.print(a));
        LOG.info("outbound accepted: key={} type={} message_id={} replayed={}", p.key(), MessageNames.of(p.type()),
            a.getMessageId(), a.getReplayed());
        synchronized (wake) {
          wake.notifyAll(); // the gateway answers: the resender need not wait out its backoff
        }
      } catch (GatewayException e) {
        if (!Refusals.permanent(e)) {
          LOG.info("outbound queued: key={} type={} status={} reason={}", p.key(), MessageNames.of(p.type()),
              e.status().getCode(), e.reason().map(Enum::name).orElse("-"));
          return Optional.empty();
        }
        ApiException refusal = Refusals.toApi(e);
        ObjectNode error = outcome.put("status", "REFUSED").putObject("error");
        error.put("reason", refusal.reason()).put("message", refusal.getMessage()).put("httpStatus", refusal.status());
        error.setAll(refusal.details());
        LOG.warn("outbound refused for good: key={} type={} reason={} status={}", p.key(), MessageNames.of(p.type()),
            refusal.reason(), e.status().getCode());
      }
      outbound.decide(p.key(), outcome);
      return Optional.of(outcome);
    }
  }

  private static OutboundMessage message(Outbound.Pending p, Duration deadline) {
    MessageLite payload;
    try {
      payload = MessageCatalog.entry(p.type()).parser().parseFrom(p.payload());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("outbound record " + p.key() + " holds a payload that does not parse", e);
    }
    OutboundMessage.Builder b = OutboundMessage.builder(p.type(), payload);
    if (p.to() != null) {
      b.to(p.to()).productCode(p.product());
    } else {
      b.toLeadOf(p.product());
    }
    return b.admdvs(p.admdvs()).idempotencyKey(p.key()).deadline(deadline).build();
  }

  /** The answer to a decided key: 200 ACCEPTED, or the refusal as it was first answered. */
  private static ApiResponse answer(JsonNode outcome, ObjectNode extra) throws ApiException {
    ObjectNode shown = shown(outcome);
    if ("REFUSED".equals(outcome.path("status").asText())) {
      JsonNode error = outcome.path("error");
      ObjectNode details = Json.MAPPER.createObjectNode();
      error.fields().forEachRemaining(f -> {
        if (!Set.of("reason", "message", "httpStatus").contains(f.getKey())) {
          details.set(f.getKey(), f.getValue());
        }
      });
      details.put("idempotencyKey", outcome.path("idempotencyKey").asText());
      throw new ApiException(error.path("httpStatus").asInt(502), error.path("reason").asText(),
          error.path("message").asText(), details);
    }
    if (extra != null) {
      shown.setAll(extra);
    }
    return ApiResponse.json(200, shown);
  }

  private static ObjectNode shown(JsonNode outcome) {
    ObjectNode copy = outcome.deepCopy();
    copy.remove("digest");
    if (copy.has("error")) {
      ((ObjectNode) copy.get("error")).remove("httpStatus");
    }
    return copy;
  }

  private ApiResponse status(ApiRequest request) throws ApiException {
    String key = request.pathParam("idempotencyKey");
    if (!IdempotencyKeys.FORMAT.matcher(key).matches()) {
      throw ApiException.badRequest("FIELD_ERRORS", "an idempotency key is 1 to 64 characters of A-Z a-z 0-9 . _ : -");
    }
    Outbound.Known known = outbound.known(key).orElseThrow(() -> new ApiException(404, "NOT_FOUND",
        "no outbound message with idempotency key " + key + " (the agent keeps those it accepted)"));
    if (known.outcome() != null) {
      return ApiResponse.json(200, shown(known.outcome()));
    }
    return ApiResponse.json(200, Json.MAPPER.createObjectNode().put("status", "PENDING").put("idempotencyKey", key)
        .put("type", MessageNames.of(known.pending().type())));
  }

  /** The background sender: every pending message, oldest first, until each is accepted or refused for good. */
  private void resend() {
    Duration backoff = FIRST_BACKOFF;
    while (running) {
      boolean failed = false;
      try {
        for (Outbound.Pending p : outbound.pending()) {
          if (!running) {
            return;
          }
          if (attempt(p, defaultDeadline).isEmpty() && !inFlight.contains(p.key())) {
            failed = true; // the gateway is down or busy: wait before the next round
            break;
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("resender: a round failed: {}", e.getClass().getName());
        failed = true;
      }
      Duration wait = failed ? backoff : FIRST_BACKOFF;
      backoff = failed ? (backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2))
          : FIRST_BACKOFF;
      try {
        synchronized (wake) {
          wake.wait(wait.toMillis());
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static String addressee(String to, String product) {
    return to != null ? to : "lead of " + product;
  }
}
