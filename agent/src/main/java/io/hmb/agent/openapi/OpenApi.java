package io.hmb.agent.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.hmb.agent.MessageNames;
import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.MessageType;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local API's OpenAPI 3.0 document, generated from the {@link MessageCatalog} (one operation per sendable
 * type, named by {@link MessageNames}) and the payloads' protobuf descriptors (JSON Schema in protobuf's canonical
 * JSON mapping: lowerCamel names, int64 as strings, enums as their names, each message a component under its full
 * name). Served at {@code GET /v1/openapi.json} and committed as {@code docs/agent-openapi.json}
 * ({@code OpenApiTest} keeps the two equal). Deterministic: the same catalogue and protos give the same bytes.
 */
public final class OpenApi {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String ERROR = "#/components/schemas/Error";

  private OpenApi() {}

  /** The document as pretty-printed JSON text, ending with a newline. */
  public static String document() {
    try {
      return PRETTY.writeValueAsString(build()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode build() {
    Map<String, ObjectNode> schemas = new TreeMap<>();
    ObjectNode root = F.objectNode();
    root.put("openapi", "3.0.3");
    ObjectNode info = root.putObject("info");
    info.put("title", "hmb participant agent: local API");
    info.put("version", "v1");
    info.put("description", "JSON over HTTP for a participant's own systems (docs/agent.md). Payloads are the hmb.v1 "
        + "messages in protobuf's canonical JSON mapping: lowerCamel field names, int64 (amounts in fen) as strings "
        + "(numbers accepted on input), enums as names, default values omitted. Generated from MessageCatalog and "
        + "the protos; do not edit by hand.");
    root.putArray("servers").addObject().put("url", "http://127.0.0.1:7480");
    root.putArray("security").addObject().putArray("bearer");
    ObjectNode paths = root.putObject("paths");

    for (MessageCatalog.Entry entry : MessageCatalog.entries().values()) {
      if (!entry.sendable()) {
        continue;
      }
      String name = MessageNames.of(entry.type());
      Descriptor payload = descriptor(entry.type());
      ref(payload, schemas);
      boolean passThrough = entry.kind() == MessageCatalog.Kind.PASS_THROUGH;
      ObjectNode op = paths.putObject("/v1/" + name).putObject("post");
      op.put("operationId", camel(name));
      op.put("summary", (passThrough ? "Ask (pass-through): " : "Send (store-and-forward): ") + payload.getFullName());
      op.put("description", passThrough
          ? "Sealed for the recipient, signed, sent; answered with the recipient's verified answer ("
              + MessageNames.of(entry.answer()) + ")." + (entry.keyRequired() ? " idempotencyKey is required." : "")
          : "Stored durably by the agent before the gateway is called; 200 ACCEPTED when the gateway acknowledged "
              + "within the deadline, 202 QUEUED when not (the agent resends with the same key).");
      String request = "SendRequest." + name;
      schemas.put(request, sendRequest(payload, passThrough && entry.keyRequired()));
      op.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
          .putObject("schema").put("$ref", "#/components/schemas/" + request);
      ObjectNode responses = op.putObject("responses");
      if (passThrough) {
        Descriptor answer = descriptor(entry.answer());
        ref(answer, schemas);
        String answered = "Answer." + MessageNames.of(entry.answer());
        schemas.put(answered, answer(MessageNames.of(entry.answer()), answer));
        json(responses.putObject("200").put("description", "the recipient's verified answer"), "#/components/schemas/" + answered);
      } else {
        json(responses.putObject("200").put("description", "ACCEPTED: the gateway committed it"), "#/components/schemas/Accepted");
        json(responses.putObject("202").put("description", "QUEUED: on the agent's disk, resent until acknowledged"),
            "#/components/schemas/Queued");
      }
      errors(responses, passThrough ? new String[] {"400", "401", "403", "404", "409", "429", "502", "503", "504"}
          : new String[] {"400", "401", "403", "404", "409", "429", "502"});
    }

    ObjectNode setlinfo = paths.putObject("/v1/settlement-data/setlinfo").putObject("post");
    setlinfo.put("operationId", "settlementDataSetlinfo");
    setlinfo.put("summary", "Send a settlement in the national platform's setlinfo form (decimal yuan)");
    setlinfo.put("description", "Mapped with the product's city mapping to hmb.v1.SettlementData, then sent as "
        + "settlement-data; 422 MAPPING_PROBLEMS names every field it could not map (values masked).");
    setlinfo.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
        .putObject("schema").put("$ref", "#/components/schemas/SetlinfoRequest");
    ObjectNode sr = setlinfo.putObject("responses");
    json(sr.putObject("200").put("description", "ACCEPTED"), "#/components/schemas/Accepted");
    json(sr.putObject("202").put("description", "QUEUED"), "#/components/schemas/Queued");
    json(sr.putObject("422").put("description", "MAPPING_PROBLEMS: nothing was sent"), "#/components/schemas/MappingProblems");
    errors(sr, new String[] {"400", "401", "403", "409", "502"});

    ObjectNode outbound = paths.putObject("/v1/outbound/{idempotencyKey}").putObject("get");
    outbound.put("operationId", "outboundStatus");
    outbound.put("summary", "Where a store-and-forward message is: PENDING, ACCEPTED or REFUSED");
    outbound.putArray("parameters").addObject().put("name", "idempotencyKey").put("in", "path").put("required", true)
        .putObject("schema").put("type", "string").put("pattern", "^[A-Za-z0-9._:-]{1,64}$");
    ObjectNode or = outbound.putObject("responses");
    json(or.putObject("200").put("description", "the message's state"), "#/components/schemas/OutboundStatus");
    errors(or, new String[] {"400", "401", "404"});

    receiving(paths, schemas);

    ObjectNode health = paths.putObject("/v1/health").putObject("get");
    health.put("operationId", "health");
    health.put("summary", "Whether the agent serves and reaches the gateway (no token needed)");
    health.putArray("security");
    json(health.putObject("responses").putObject("200").put("description", "health"), "#/components/schemas/Health");

    ObjectNode openapi = paths.putObject("/v1/openapi.json").putObject("get");
    openapi.put("operationId", "openapi");
    openapi.put("summary", "This document (no token needed)");
    openapi.putArray("security");
    openapi.putObject("responses").putObject("200").put("description", "OpenAPI 3.0").putObject("content")
        .putObject("application/json").putObject("schema").put("type", "object");

    ref(Acceptance.getDescriptor(), schemas);
    fixedSchemas(schemas);
    ObjectNode components = root.putObject("components");
    components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
        .put("description", "the agent's access token (STATE/access.token)");
    ObjectNode s = components.putObject("schemas");
    schemas.forEach(s::set);
    return root;
  }

  private static Descriptor descriptor(MessageType type) {
    try {
      return ((Message) MessageCatalog.entry(type).parser().parseFrom(ByteString.EMPTY)).getDescriptorForType();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String camel(String dashed) {
    StringBuilder b = new StringBuilder();
    for (String w : dashed.split("-")) {
      b.append(b.length() == 0 ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1));
    }
    return b.toString();
  }

  /** The receiving side's routes and the received message (the webhook's body, the inbox's item). */
  private static void receiving(ObjectNode paths, Map<String, ObjectNode> schemas) {
    ObjectNode received = object();
    ObjectNode p = received.putObject("properties");
    p.putObject("id").put("type", "string").put("description", "the gateway's message_id; stable across redeliveries");
    ArrayNode types = p.putObject("type").put("type", "string").putArray("enum");
    ArrayNode payloads = F.arrayNode();
    for (MessageCatalog.Entry entry : MessageCatalog.entries().values()) {
      if (entry.kind() == MessageCatalog.Kind.STORE_AND_FORWARD) {
        Descriptor payload = descriptor(entry.type());
        ref(payload, schemas);
        types.add(MessageNames.of(entry.type()));
        payloads.addObject().put("$ref", "#/components/schemas/" + payload.getFullName());
      }
    }
    for (String field : new String[] {"sender", "admdvs", "product", "idempotencyKey"}) {
      p.putObject(field).put("type", "string");
    }
    p.putObject("createTime").put("type", "string").put("format", "date-time");
    p.putObject("attempt").put("type", "integer").put("description", "the gateway's delivery attempt; above 1 it may have been seen before");
    p.putObject("payload").set("oneOf", payloads);
    received.putArray("required").add("id").add("type").add("sender").add("payload");
    received.put("description", "A message received for this participant: the body of each webhook call (headers "
        + "Hmb-Message-Id, Hmb-Timestamp, Hmb-Signature: v1=hex(HMAC-SHA256(STATE/webhook.secret, timestamp + \".\" + body)); "
        + "answer 2xx once recorded) and an item of GET /v1/inbox. Delivered at least once: deduplicate by id.");
    schemas.put("ReceivedMessage", received);
    ObjectNode list = object();
    list.putObject("properties").putObject("messages").put("type", "array").putObject("items")
        .put("$ref", "#/components/schemas/ReceivedMessage");
    schemas.put("Inbox", list);

    ObjectNode inbox = paths.putObject("/v1/inbox").putObject("get");
    inbox.put("operationId", "inbox");
    inbox.put("summary", "Received messages not yet acknowledged, oldest first (long poll; only without a webhook)");
    ArrayNode params = inbox.putArray("parameters");
    params.addObject().put("name", "wait").put("in", "query").put("description", "seconds to wait for one when none is pending")
        .putObject("schema").put("type", "integer").put("minimum", 0).put("maximum", 30);
    params.addObject().put("name", "max").put("in", "query")
        .putObject("schema").put("type", "integer").put("minimum", 1).put("maximum", 100);
    ObjectNode ir = inbox.putObject("responses");
    json(ir.putObject("200").put("description", "pending messages (possibly none)"), "#/components/schemas/Inbox");
    json(ir.putObject("400").put("description", "INVALID_PARAMETER"), ERROR);
    json(ir.putObject("401").put("description", "UNAUTHENTICATED: no or a wrong access token"), ERROR);
    json(ir.putObject("409").put("description", "WEBHOOK_CONFIGURED: messages go to the webhook"), ERROR);

    ObjectNode ack = paths.putObject("/v1/inbox/{id}/ack").putObject("post");
    ack.put("operationId", "inboxAck");
    ack.put("summary", "The local system has recorded the message: the agent forgets it (a repeat is 204 too)");
    ack.putArray("parameters").addObject().put("name", "id").put("in", "path").put("required", true)
        .putObject("schema").put("type", "string");
    ObjectNode ar = ack.putObject("responses");
    ar.putObject("204").put("description", "acknowledged");
    json(ar.putObject("401").put("description", "UNAUTHENTICATED: no or a wrong access token"), ERROR);
    json(ar.putObject("404").put("description", "UNKNOWN_MESSAGE: never received"), ERROR);
    json(ar.putObject("409").put("description", "WEBHOOK_CONFIGURED: messages go to the webhook"), ERROR);
  }

  private static void json(ObjectNode response, String ref) {
    response.putObject("content").putObject("application/json").putObject("schema").put("$ref", ref);
  }

  private static void errors(ObjectNode responses, String[] codes) {
    for (String code : codes) {
      json(responses.putObject(code).put("description", switch (code) {
        case "400" -> "INVALID_JSON, FIELD_ERRORS (with fields), or the gateway's INVALID_ARGUMENT";
        case "401" -> "UNAUTHENTICATED: no or a wrong access token";
        case "403" -> "PERMISSION_DENIED from the gateway (NOT_AUTHORISED, ...)";
        case "404" -> "NOT_FOUND (an unknown participant or product, or key)";
        case "409" -> "IDEMPOTENCY_KEY_REUSED, or the gateway's ALREADY_EXISTS / FAILED_PRECONDITION / ABORTED";
        case "429" -> "RATE_LIMITED (retryAfterMs)";
        case "502" -> "the agent's identity refused (UNAUTHENTICATED) or another gateway failure";
        case "503" -> "GATEWAY_UNREACHABLE or the gateway's UNAVAILABLE";
        case "504" -> "DEADLINE_EXCEEDED";
        default -> "error";
      }), ERROR);
    }
  }

  private static ObjectNode sendRequest(Descriptor payload, boolean keyRequired) {
    ObjectNode o = object();
    ObjectNode p = o.putObject("properties");
    p.putObject("to").put("type", "string").put("description", "the recipient's participant code; else the lead insurer of product");
    p.putObject("product").put("type", "string").put("description", "header.product_code; alone, addresses its lead insurer");
    p.putObject("admdvs").put("type", "string").put("pattern", "^[0-9]{6}$");
    p.putObject("idempotencyKey").put("type", "string").put("pattern", "^[A-Za-z0-9._:-]{1,64}$")
        .put("description", "the operation's key, kept across retries; the agent makes one for store-and-forward if absent");
    p.putObject("deadlineMs").put("type", "integer").put("minimum", 1).put("maximum", 60000);
    p.putObject("payload").put("$ref", "#/components/schemas/" + payload.getFullName());
    ArrayNode required = o.putArray("required").add("payload");
    if (keyRequired) {
      required.add("idempotencyKey");
    }
    return o;
  }

  private static ObjectNode answer(String type, Descriptor payload) {
    ObjectNode o = object();
    ObjectNode p = o.putObject("properties");
    p.putObject("messageId").put("type", "string");
    p.putObject("type").put("type", "string").putArray("enum").add(type);
    p.putObject("sender").put("type", "string");
    p.putObject("correlationId").put("type", "string");
    p.putObject("idempotencyKey").put("type", "string");
    p.putObject("payload").put("$ref", "#/components/schemas/" + payload.getFullName());
    o.putArray("required").add("messageId").add("type").add("sender").add("payload");
    return o;
  }

  private static void fixedSchemas(Map<String, ObjectNode> schemas) {
    ObjectNode error = object();
    ObjectNode e = error.putObject("properties").putObject("error");
    e.put("type", "object");
    ObjectNode ep = e.putObject("properties");
    ep.putObject("reason").put("type", "string").put("description", "an hmb.v1 ErrorInfo reason, or the agent's own");
    ep.putObject("message").put("type", "string");
    ep.putObject("grpcStatus").put("type", "string");
    ep.putObject("retryAfterMs").put("type", "integer");
    ep.putObject("idempotencyKey").put("type", "string");
    ObjectNode field = ep.putObject("fields").put("type", "array").putObject("items").put("type", "object");
    field.putObject("properties").putObject("path").put("type", "string");
    ((ObjectNode) field.get("properties")).putObject("problem").put("type", "string");
    e.putArray("required").add("reason").add("message");
    error.putArray("required").add("error");
    schemas.put("Error", error);

    ObjectNode accepted = object();
    ObjectNode ap = accepted.putObject("properties");
    ap.putObject("status").put("type", "string").putArray("enum").add("ACCEPTED");
    ap.putObject("idempotencyKey").put("type", "string");
    ap.putObject("type").put("type", "string");
    ap.putObject("messageId").put("type", "string");
    ap.putObject("acceptance").put("$ref", "#/components/schemas/" + Acceptance.getDescriptor().getFullName());
    ap.putObject("problems").put("$ref", "#/components/schemas/Problems");
    accepted.putArray("required").add("status").add("idempotencyKey").add("messageId");
    schemas.put("Accepted", accepted);

    ObjectNode queued = object();
    ObjectNode qp = queued.putObject("properties");
    qp.putObject("status").put("type", "string").putArray("enum").add("QUEUED");
    qp.putObject("idempotencyKey").put("type", "string");
    qp.putObject("problems").put("$ref", "#/components/schemas/Problems");
    queued.putArray("required").add("status").add("idempotencyKey");
    schemas.put("Queued", queued);

    ObjectNode status = object();
    ObjectNode sp = status.putObject("properties");
    sp.putObject("status").put("type", "string").putArray("enum").add("PENDING").add("ACCEPTED").add("REFUSED");
    sp.putObject("idempotencyKey").put("type", "string");
    sp.putObject("type").put("type", "string");
    sp.putObject("messageId").put("type", "string");
    sp.putObject("acceptance").put("$ref", "#/components/schemas/" + Acceptance.getDescriptor().getFullName());
    sp.putObject("error").put("type", "object").put("description", "for REFUSED: reason, message, grpcStatus");
    status.putArray("required").add("status").add("idempotencyKey");
    schemas.put("OutboundStatus", status);

    ObjectNode problems = F.objectNode().put("type", "array");
    ObjectNode item = problems.putObject("items").put("type", "object");
    ObjectNode ip = item.putObject("properties");
    ip.putObject("path").put("type", "string");
    ip.putObject("reason").put("type", "string");
    ip.putObject("detail").put("type", "string");
    ip.putObject("value").put("type", "string").put("description", "masked, or the value's shape");
    ip.putObject("blocking").put("type", "boolean");
    schemas.put("Problems", problems);

    ObjectNode mapping = object();
    ObjectNode me = mapping.putObject("properties").putObject("error").put("type", "object");
    ObjectNode mp = me.putObject("properties");
    mp.putObject("reason").put("type", "string").putArray("enum").add("MAPPING_PROBLEMS");
    mp.putObject("message").put("type", "string");
    mp.putObject("problems").put("$ref", "#/components/schemas/Problems");
    schemas.put("MappingProblems", mapping);

    ObjectNode setlinfo = object();
    ObjectNode lp = setlinfo.putObject("properties");
    lp.putObject("setlinfo").put("type", "object").put("description", "the platform's setlinfo object, as it is");
    lp.putObject("setldetail").put("type", "array").put("description", "known, not carried").putObject("items");
    lp.putObject("product").put("type", "string");
    lp.putObject("to").put("type", "string");
    lp.putObject("admdvs").put("type", "string");
    lp.putObject("idempotencyKey").put("type", "string").put("pattern", "^[A-Za-z0-9._:-]{1,64}$");
    lp.putObject("deadlineMs").put("type", "integer").put("minimum", 1).put("maximum", 60000);
    lp.putObject("treatmentAdmdvs").put("type", "string");
    lp.putObject("insuredAdmdvs").put("type", "string");
    lp.putObject("policyStart").put("type", "string").put("format", "date");
    lp.putObject("careType").put("type", "string");
    lp.putObject("outOfAreaFiled").put("type", "boolean");
    lp.putObject("knownFields").put("type", "array").putObject("items").put("type", "string");
    setlinfo.putArray("required").add("setlinfo").add("product");
    schemas.put("SetlinfoRequest", setlinfo);

    ObjectNode health = F.objectNode().put("type", "object");
    ObjectNode hp = health.putObject("properties");
    hp.putObject("status").put("type", "string").putArray("enum").add("SERVING").add("NOT_SERVING");
    hp.putObject("participant").put("type", "string");
    hp.putObject("gateway").put("type", "string").putArray("enum").add("reachable").add("unreachable");
    hp.putObject("outboundPending").put("type", "integer");
    hp.putObject("inboundPending").put("type", "integer");
    schemas.put("Health", health);
  }

  private static ObjectNode object() {
    return F.objectNode().put("type", "object").put("additionalProperties", false);
  }

  /** A $ref to the message's component, adding it (and every message and enum it uses) once. */
  private static ObjectNode ref(Descriptor type, Map<String, ObjectNode> schemas) {
    ObjectNode wkt = wellKnown(type);
    if (wkt != null) {
      return wkt;
    }
    String name = type.getFullName();
    if (!schemas.containsKey(name)) {
      ObjectNode schema = object();
      schemas.put(name, schema); // before the fields: a message may contain itself
      ObjectNode props = schema.putObject("properties");
      for (FieldDescriptor f : type.getFields()) {
        props.set(f.getJsonName(), field(f, schemas));
      }
    }
    return F.objectNode().put("$ref", "#/components/schemas/" + name);
  }

  private static ObjectNode wellKnown(Descriptor type) {
    return switch (type.getFullName()) {
      case "google.protobuf.Timestamp" -> F.objectNode().put("type", "string").put("format", "date-time");
      case "google.protobuf.Duration" -> F.objectNode().put("type", "string").put("pattern", "^-?[0-9]+(\\.[0-9]+)?s$");
      case "google.protobuf.FieldMask" -> F.objectNode().put("type", "string");
      case "google.protobuf.Struct" -> F.objectNode().put("type", "object");
      case "google.protobuf.Value", "google.protobuf.Any" -> F.objectNode();
      case "google.protobuf.ListValue" -> F.objectNode().put("type", "array");
      default -> type.getFile().getPackage().equals("google.protobuf") && type.getName().endsWith("Value")
          ? scalar(type.findFieldByName("value"), null) : null;
    };
  }

  private static ObjectNode field(FieldDescriptor f, Map<String, ObjectNode> schemas) {
    if (f.isMapField()) {
      ObjectNode map = F.objectNode().put("type", "object");
      map.set("additionalProperties", single(f.getMessageType().findFieldByName("value"), schemas));
      return map;
    }
    if (f.isRepeated()) {
      ObjectNode array = F.objectNode().put("type", "array");
      array.set("items", single(f, schemas));
      return array;
    }
    return single(f, schemas);
  }

  private static ObjectNode single(FieldDescriptor f, Map<String, ObjectNode> schemas) {
    if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return ref(f.getMessageType(), schemas);
    }
    return scalar(f, schemas);
  }

  private static ObjectNode scalar(FieldDescriptor f, Map<String, ObjectNode> schemas) {
    return switch (f.getType()) {
      case INT64, SINT64, SFIXED64, UINT64, FIXED64 -> F.objectNode().put("type", "string").put("format", "int64")
          .put("pattern", "^-?[0-9]+$");
      case INT32, SINT32, SFIXED32 -> F.objectNode().put("type", "integer").put("format", "int32");
      case UINT32, FIXED32 -> F.objectNode().put("type", "integer").put("format", "int64").put("minimum", 0);
      case DOUBLE -> F.objectNode().put("type", "number").put("format", "double");
      case FLOAT -> F.objectNode().put("type", "number").put("format", "float");
      case BOOL -> F.objectNode().put("type", "boolean");
      case STRING -> F.objectNode().put("type", "string");
      case BYTES -> F.objectNode().put("type", "string").put("format", "byte");
      case ENUM -> enumRef(f.getEnumType(), schemas);
      default -> throw new IllegalStateException("no schema for " + f.getFullName());
    };
  }

  private static ObjectNode enumRef(EnumDescriptor type, Map<String, ObjectNode> schemas) {
    String name = type.getFullName();
    if (schemas != null && !schemas.containsKey(name)) {
      ObjectNode schema = F.objectNode().put("type", "string");
      ArrayNode values = schema.putArray("enum");
      for (EnumValueDescriptor v : type.getValues()) {
        values.add(v.getName());
      }
      schemas.put(name, schema);
    }
    return F.objectNode().put("$ref", "#/components/schemas/" + name);
  }
}
