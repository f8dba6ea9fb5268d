package io.hmb.agent.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.hmb.agent.MessageNames;
import io.hmb.agent.send.PayloadJson.FieldError;
import io.hmb.api.MessageCatalog;
import io.hmb.api.ParticipantCode;
import io.hmb.api.v1.MessageType;
import io.hmb.client.IdempotencyKeys;
import io.hmb.client.OutboundMessage;
import io.hmb.agent.http.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One local caller's request to send: the envelope facts the body names and the payload, checked field by
 * field. The body is {@code {"to"?, "product"?, "admdvs"?, "idempotencyKey"?, "deadlineMs"?, "payload": {...}}};
 * everything wrong is reported at once as 400 FIELD_ERRORS with paths, never with values.
 *
 * @param to the recipient participant, or null (then the lead insurer of {@code product})
 * @param product header.product_code, or null
 * @param deadline the caller's deadline for the gateway call, or null (the agent's callDeadline)
 */
public record SendRequest(MessageType type, String to, String product, String admdvs, String idempotencyKey,
    Duration deadline, Message payload) {

  /** The top-level fields a send body may hold besides {@code payload}. */
  static final Set<String> ENVELOPE_FIELDS = Set.of("to", "product", "admdvs", "idempotencyKey", "deadlineMs");
  private static final Pattern ADMDVS = Pattern.compile("[0-9]{6}");
  private static final Pattern PRODUCT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** Reads a body for {@code type}; 400 FIELD_ERRORS with every problem. */
  static SendRequest read(MessageType type, JsonNode body) throws ApiException {
    List<FieldError> errors = new ArrayList<>();
    body.fieldNames().forEachRemaining(name -> {
      if (!ENVELOPE_FIELDS.contains(name) && !name.equals("payload")) {
        errors.add(new FieldError(PayloadJson.shownName(name), "is not a field of a send request (to, product, "
            + "admdvs, idempotencyKey, deadlineMs, payload)"));
      }
    });
    Envelope e = envelope(type, body, errors);
    Message payload = null;
    JsonNode p = body.get("payload");
    if (p == null || p.isNull()) {
      errors.add(new FieldError("payload", "is required: the " + MessageNames.of(type) + " as JSON"));
    } else {
      payload = PayloadJson.parse(p, defaultInstance(type), "payload", errors);
    }
    if (!errors.isEmpty()) {
      throw PayloadJson.fieldErrors(errors);
    }
    return new SendRequest(type, e.to, e.product, e.admdvs, e.key, e.deadline, payload);
  }

  /** The envelope facts of a body (to, product, admdvs, idempotencyKey, deadlineMs), problems added to errors. */
  record Envelope(String to, String product, String admdvs, String key, Duration deadline) {}

  static Envelope envelope(MessageType type, JsonNode body, List<FieldError> errors) {
    String to = text(body, "to", errors);
    if (to != null && !ParticipantCode.PATTERN.matcher(to).matches()) {
      errors.add(new FieldError("to", "must be a participant code such as INSURER-LEAD-210200"));
      to = null;
    }
    String product = text(body, "product", errors);
    if (product != null && !PRODUCT.matcher(product).matches()) {
      errors.add(new FieldError("product", "must be a product code such as dalian-2025-basic"));
      product = null;
    }
    String admdvs = text(body, "admdvs", errors);
    if (admdvs != null && !ADMDVS.matcher(admdvs).matches()) {
      errors.add(new FieldError("admdvs", "must be a six-digit region code such as 210200"));
      admdvs = null;
    }
    String key = text(body, "idempotencyKey", errors);
    if (key != null && !IdempotencyKeys.FORMAT.matcher(key).matches()) {
      errors.add(new FieldError("idempotencyKey", "must be 1 to 64 characters of A-Z a-z 0-9 . _ : -"));
      key = null;
    }
    Duration deadline = null;
    JsonNode d = body.get("deadlineMs");
    if (d != null && !d.isNull()) {
      if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 1 || d.asLong() > 60_000) {
        errors.add(new FieldError("deadlineMs", "must be an integer from 1 to 60000 (the gateway's longest deadline)"));
      } else {
        deadline = Duration.ofMillis(d.asLong());
      }
    }
    if (to == null && product == null && !errors.stream().anyMatch(x -> x.path().equals("to") || x.path().equals("product"))) {
      errors.add(new FieldError("to", "or product is required: the recipient, or the product whose lead insurer it is"));
    }
    if (key == null && MessageCatalog.requiresIdempotencyKey(type) && MessageCatalog.is(type, MessageCatalog.Kind.PASS_THROUGH)
        && errors.stream().noneMatch(x -> x.path().equals("idempotencyKey"))) {
      errors.add(new FieldError("idempotencyKey", "is required for " + MessageNames.of(type)
          + ": choose it, store it with your record before the first attempt, and send it again on every retry"));
    }
    return new Envelope(to, product, admdvs, key, deadline);
  }

  private static String text(JsonNode body, String name, List<FieldError> errors) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isEmpty()) {
      errors.add(new FieldError(name, "must be a non-empty string"));
      return null;
    }
    return v.asText();
  }

  /** The payload type's default instance, from the catalogue's parser. */
  static Message defaultInstance(MessageType type) {
    try {
      return (Message) MessageCatalog.entry(type).parser().parseFrom(ByteString.EMPTY);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("an empty " + type + " does not parse", e);
    }
  }

  /** The SDK's message, with {@code key} (the caller's, or the one the agent made for store-and-forward). */
  OutboundMessage outbound(String key, Duration defaultDeadline) {
    OutboundMessage.Builder b = OutboundMessage.builder(type, payload);
    if (to != null) {
      b.to(to).productCode(product);
    } else {
      b.toLeadOf(product);
    }
    return b.admdvs(admdvs).idempotencyKey(key).deadline(deadline != null ? deadline : defaultDeadline).build();
  }
}
