package io.hmb.agent.receive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageLite;
import com.google.protobuf.util.JsonFormat;
import io.hmb.agent.MessageNames;
import io.hmb.api.v1.MessageType;
import io.hmb.client.MessageContext;
import java.time.Instant;
import java.util.Objects;

/**
 * One opened, verified message as the local system gets it (webhook body, inbox item, the question posted
 * to the answer URL): {@code {"id", "type", "sender", "admdvs", "product", "idempotencyKey", "createTime",
 * "attempt", "payload"}}, the payload in protobuf's canonical JSON mapping (lowerCamelCase names, int64 as
 * strings, default values left out). {@code product} and {@code idempotencyKey} are left out when the header
 * has none. The header facts are the verified header's (docs/envelope.md), so they may be logged; the payload
 * may not.
 *
 * @param attempt the gateway's delivery attempt (above 1: it may have come before); 0 for a question
 */
record ReceivedMessage(String id, MessageType type, String sender, String admdvs, String product,
    String idempotencyKey, Instant createTime, int attempt, MessageLite payload) {

  /** Plain Jackson for the envelope of the JSON; the payload is JsonFormat's text. */
  static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

  ReceivedMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload");
    product = product == null ? "" : product;
    idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
  }

  static ReceivedMessage of(MessageLite payload, MessageContext context) {
    return new ReceivedMessage(context.messageId(), context.messageType(), context.sender(), context.admdvs(),
        context.productCode(), context.idempotencyKey(), context.createTime(), context.attempt(), payload);
  }

  /** The JSON object, as a tree (the answer URL's request adds {@code deadlineMs} to it). */
  ObjectNode toJsonNode() {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", id);
    root.put("type", MessageNames.of(type));
    root.put("sender", sender);
    root.put("admdvs", admdvs);
    if (!product.isEmpty()) {
      root.put("product", product);
    }
    if (!idempotencyKey.isEmpty()) {
      root.put("idempotencyKey", idempotencyKey);
    }
    root.put("createTime", createTime.toString());
    root.put("attempt", attempt);
    try {
      root.set("payload", JSON.readTree(payloadJson(payload)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JsonFormat wrote text Jackson cannot read", e);
    }
    return root;
  }

  /** The JSON object's bytes (UTF-8), as stored in STATE/inbound and posted to the webhook. */
  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(toJsonNode());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e);
    }
  }

  /** A payload in protobuf's canonical JSON mapping. */
  static String payloadJson(MessageLite payload) {
    if (!(payload instanceof Message message)) {
      throw new IllegalArgumentException("not a full protobuf message: " + payload.getClass().getName());
    }
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a payload JsonFormat cannot print (an Any without its type?)", e);
    }
  }
}
