package io.hmb.agent.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.hmb.agent.MessageNames;
import io.hmb.agent.store.DurableQueue;
import io.hmb.api.v1.MessageType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The durable outbound store, {@code STATE/outbound}: {@code queue} holds each store-and-forward message
 * accepted from a local caller until the gateway acknowledges or refuses it for good (a {@link DurableQueue}
 * keyed by the idempotency key, written before the gateway is called); {@code outcomes} keeps, per key, how it
 * ended (ACCEPTED with the acceptance, REFUSED with the error) and the request's digest, so a repeat of the key
 * gets the same answer and a key reused for another request is refused. The outcome is written before the queue
 * entry is marked done, so a kill -9 between the two leaves an entry the resender finds already decided.
 */
final class Outbound implements AutoCloseable {
  /** A queued message: what is needed to seal it again, and the digest that tells a repeat from a reuse. */
  record Pending(String key, MessageType type, String to, String product, String admdvs, String digest,
      byte[] payload) {}

  private final DurableQueue queue;
  private final DurableQueue outcomes;

  private Outbound(DurableQueue queue, DurableQueue outcomes) {
    this.queue = queue;
    this.outcomes = outcomes;
  }

  static Outbound open(Path dir) throws IOException {
    DurableQueue queue = DurableQueue.open(dir.resolve("queue"));
    try {
      return new Outbound(queue, DurableQueue.open(dir.resolve("outcomes")));
    } catch (IOException | RuntimeException e) {
      queue.close();
      throw e;
    }
  }

  /** SHA-256 of the type, the addressing and the payload's deterministic bytes. */
  static String digest(MessageType type, String to, String product, String admdvs, Message payload) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {type.name(), to, product, admdvs}) {
        sha.update((part == null ? "" : part).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      sha.update(deterministic(payload));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }

  static byte[] deterministic(Message payload) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      payload.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stores a message durably unless its key is known; returns what is known of the key then: the pending entry,
   * or the outcome (a done key always has one, written first).
   */
  synchronized Optional<Known> put(Pending p) {
    ObjectNode record = Json.MAPPER.createObjectNode()
        .put("type", MessageNames.of(p.type())).put("to", p.to()).put("product", p.product()).put("admdvs", p.admdvs())
        .put("digest", p.digest()).put("payload", Base64.getEncoder().encodeToString(p.payload()));
    Optional<Known> decided = known(p.key()).filter(k -> k.outcome() != null);
    if (decided.isPresent()) {
      return decided;
    }
    Optional<DurableQueue.Entry> there = queue.putIfAbsent(p.key(), bytes(record));
    if (there.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(known(p.key()).orElseThrow(() -> new IllegalStateException(
        "outbound key " + p.key() + " is done but has no outcome")));
  }

  /** What is known of a key: its outcome if decided, else its pending entry; empty if never stored. */
  synchronized Optional<Known> known(String key) {
    Optional<DurableQueue.Entry> outcome = outcomes.pending(key);
    if (outcome.isPresent()) {
      return Optional.of(new Known(null, read(outcome.get().record())));
    }
    return queue.pending(key).map(e -> new Known(pending(e), null));
  }

  /** A key's pending entry or its outcome (exactly one is set). */
  record Known(Pending pending, JsonNode outcome) {
    String digest() {
      return pending != null ? pending.digest() : outcome.path("digest").asText();
    }
  }

  /** Every message not yet decided, oldest first. */
  synchronized List<Pending> pending() {
    return queue.pendingEntries().stream().map(Outbound::pending).toList();
  }

  synchronized int pendingCount() {
    return queue.pendingCount();
  }

  /** Records how a key ended (if not already) and takes it off the queue. */
  synchronized void decide(String key, ObjectNode outcome) {
    outcomes.putIfAbsent(key, bytes(outcome));
    queue.markDone(key);
  }

  private static Pending pending(DurableQueue.Entry e) {
    JsonNode r = read(e.record());
    return new Pending(e.key(), MessageNames.parse(r.path("type").asText()).orElseThrow(), textOrNull(r, "to"),
        textOrNull(r, "product"), textOrNull(r, "admdvs"), r.path("digest").asText(),
        Base64.getDecoder().decode(r.path("payload").asText()));
  }

  private static String textOrNull(JsonNode r, String name) {
    JsonNode v = r.get(name);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(byte[] bytes) {
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("an outbound record that is not JSON", e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      queue.close();
    } finally {
      outcomes.close();
    }
  }
}
