package io.hmb.agent.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hmb.adapters.engine.ClaimType;
import io.hmb.adapters.engine.Product;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.mapping.FieldProblem;
import io.hmb.adapters.mapping.MappingContext;
import io.hmb.adapters.mapping.SetlinfoMapping;
import io.hmb.adapters.mapping.SetlinfoOptions;
import io.hmb.agent.http.ApiException;
import io.hmb.agent.http.ApiRequest;
import io.hmb.agent.http.ApiResponse;
import io.hmb.agent.send.PayloadJson.FieldError;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SettlementData;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /v1/settlement-data/setlinfo}: a settlement result in the national platform's form, mapped with the
 * product's city mapping (adapters' {@link SetlinfoMapping}) and sent as settlement-data. The body is the
 * platform's 2304 output object ({@code setlinfo}, and {@code setldetail} if present) beside the send request's
 * fields ({@code product} required; {@code to}, {@code admdvs}, {@code idempotencyKey}, {@code deadlineMs}) and
 * the mapping's options ({@code treatmentAdmdvs}, {@code insuredAdmdvs}, {@code policyStart}, {@code careType},
 * {@code outOfAreaFiled}, {@code knownFields}). Amounts are read from their literal digits, never as floating
 * point. A blocking problem is 422 MAPPING_PROBLEMS listing every problem (values masked); non-blocking ones (an
 * unknown field, not carried) are returned with the answer as {@code problems}.
 */
final class SetlinfoRoute {
  static final String PATH = "/v1/settlement-data/setlinfo";
  private static final Set<String> DOCUMENT = Set.of("setlinfo", "setldetail");
  private static final Set<String> OPTIONS = Set.of("treatmentAdmdvs", "insuredAdmdvs", "policyStart", "careType",
      "outOfAreaFiled", "knownFields");

  private final Sending sending;

  SetlinfoRoute(Sending sending) {
    this.sending = sending;
  }

  ApiResponse handle(ApiRequest request) throws ApiException {
    JsonNode body = read(request.body());
    List<FieldError> errors = new ArrayList<>();
    ObjectNode document = Json.MAPPER.createObjectNode();
    body.fields().forEachRemaining(f -> {
      if (DOCUMENT.contains(f.getKey())) {
        document.set(f.getKey(), f.getValue());
      } else if (!SendRequest.ENVELOPE_FIELDS.contains(f.getKey()) && !OPTIONS.contains(f.getKey())) {
        errors.add(new FieldError(PayloadJson.shownName(f.getKey()), "is not a field of a setlinfo request (setlinfo, "
            + "setldetail, product, to, admdvs, idempotencyKey, deadlineMs, " + String.join(", ", OPTIONS) + ")"));
      }
    });
    if (!body.path("setlinfo").isObject()) {
      errors.add(new FieldError("setlinfo", "is required: the platform's setlinfo object"));
    }
    SendRequest.Envelope e = SendRequest.envelope(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, body, errors);
    Product product = null;
    if (e.product() == null) {
      errors.removeIf(x -> x.path().equals("to"));
      if (errors.stream().noneMatch(x -> x.path().equals("product"))) {
        errors.add(new FieldError("product", "is required: the product whose city mapping applies ("
            + String.join(", ", ProductCatalog.CODES) + ")"));
      }
    } else if (!ProductCatalog.CODES.contains(e.product())) {
      errors.add(new FieldError("product", "is not a product the agent knows (" + String.join(", ", ProductCatalog.CODES) + ")"));
    } else {
      product = ProductCatalog.shipped().get(e.product());
    }
    MappingContext ctx = product == null ? null : context(body, product, errors);
    SetlinfoOptions options = new SetlinfoOptions(known(body, errors), false);
    if (!errors.isEmpty()) {
      throw PayloadJson.fieldErrors(errors);
    }
    SetlinfoMapping mapping = SetlinfoMapping.of(product, document, ctx, options);
    if (mapping.data().isEmpty()) {
      ObjectNode details = Json.MAPPER.createObjectNode();
      details.set("problems", problems(mapping.problems()));
      throw new ApiException(422, "MAPPING_PROBLEMS", mapping.problems().stream().filter(FieldProblem::blocking).count()
          + " field(s) of the setlinfo could not be mapped; nothing was sent (see problems)", details);
    }
    ObjectNode extra = null;
    if (!mapping.clean()) {
      extra = Json.MAPPER.createObjectNode();
      extra.set("problems", problems(mapping.problems()));
    }
    SettlementData data = mapping.data().get();
    return sending.storeAndForward(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, e.to(), e.product(), e.admdvs(), e.key(),
        e.deadline(), data, extra);
  }

  /** The body with amounts as written (BigDecimal), a field twice refused; errors name only where. */
  private static JsonNode read(byte[] body) throws ApiException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw ApiException.badRequest("INVALID_JSON", "the body is not UTF-8 text");
    }
    JsonNode node;
    try {
      node = SetlinfoMapping.readDocument(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_JSON", "the body " + e.getMessage());
    }
    if (!node.isObject()) {
      throw ApiException.badRequest("INVALID_JSON", "the body must be a JSON object");
    }
    return node;
  }

  private static MappingContext context(JsonNode body, Product product, List<FieldError> errors) {
    String treatment = admdvs(body, "treatmentAdmdvs", product, errors);
    String insured = admdvs(body, "insuredAdmdvs", product, errors);
    LocalDate start = null;
    if (body.hasNonNull("policyStart")) {
      try {
        start = LocalDate.parse(body.get("policyStart").asText());
      } catch (DateTimeParseException ex) {
        errors.add(new FieldError("policyStart", "must be a day such as 2025-03-01"));
      }
    }
    ClaimType care = null;
    if (body.hasNonNull("careType")) {
      try {
        care = ClaimType.valueOf(body.get("careType").asText().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException ex) {
        errors.add(new FieldError("careType", "must be one of " + List.of(ClaimType.values())));
      }
    }
    JsonNode filed = body.get("outOfAreaFiled");
    if (filed != null && !filed.isNull() && !filed.isBoolean()) {
      errors.add(new FieldError("outOfAreaFiled", "must be true or false"));
    }
    return new MappingContext(treatment, insured, filed != null && filed.asBoolean(), 0, care, start);
  }

  private static String admdvs(JsonNode body, String name, Product product, List<FieldError> errors) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return product.cityAdmdvs();
    }
    if (!v.isTextual() || !v.asText().matches("[0-9]{6}")) {
      errors.add(new FieldError(name, "must be a six-digit region code such as 210200"));
      return product.cityAdmdvs();
    }
    return v.asText();
  }

  private static Set<String> known(JsonNode body, List<FieldError> errors) {
    Set<String> known = new HashSet<>();
    JsonNode v = body.get("knownFields");
    if (v == null || v.isNull()) {
      return known;
    }
    if (!v.isArray()) {
      errors.add(new FieldError("knownFields", "must be an array of field names"));
      return known;
    }
    v.forEach(n -> known.add(n.asText()));
    return known;
  }

  private static ArrayNode problems(List<FieldProblem> problems) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (FieldProblem p : problems) {
      list.addObject().put("path", p.path()).put("reason", p.reason().name()).put("detail", p.detail())
          .put("value", p.shown()).put("blocking", p.blocking());
    }
    return list;
  }
}
