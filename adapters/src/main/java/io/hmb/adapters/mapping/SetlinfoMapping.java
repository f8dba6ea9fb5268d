package io.hmb.adapters.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.hmb.adapters.engine.Product;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.SettlementData;
import io.hmb.security.mask.Masks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A settlement result in the national platform's form, mapped with the city's product, and field by field
 * what could not be mapped. The agent answers a posted setlinfo with it; {@code hmb map setlinfo} prints it.
 *
 * @param data the mapped settlement, with personal data in clear (it is sealed for its recipient); empty when
 *     a blocking problem stopped the mapping
 * @param problems every problem found, in the order of the checks; empty when the mapping is clean
 */
public record SetlinfoMapping(Optional<SettlementData> data, List<FieldProblem> problems) {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Decimals as BigDecimal (never double: 12345678901234.56 would change), a repeated field refused. */
  private static final ObjectMapper READER = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  public SetlinfoMapping {
    problems = List.copyOf(problems);
  }

  /**
   * Maps a posted document: a setlinfo object itself, or the 2304 settlement's output object
   * {@code {"setlinfo": {...}, "setldetail": [...]}} (then paths start with {@code setlinfo.}).
   */
  public static SetlinfoMapping of(Product product, JsonNode document, MappingContext ctx, SetlinfoOptions options) {
    if (document != null && document.isObject() && document.has("setlinfo")) {
      List<FieldProblem> wrapper = new ArrayList<>();
      document.fieldNames().forEachRemaining(name -> {
        if (!name.equals("setlinfo") && !SetlinfoFields.OUTPUT_SIBLINGS.contains(name)
            && !options.alsoKnown().contains(name)) {
          wrapper.add(unknown("", name, document.get(name), options));
        }
      });
      SetlinfoMapping inner = NationalSettlementMapper.report(product, document.get("setlinfo"), ctx, "setlinfo.", options);
      List<FieldProblem> all = new ArrayList<>(inner.problems());
      all.addAll(wrapper);
      boolean blocked = all.stream().anyMatch(FieldProblem::blocking);
      return new SetlinfoMapping(blocked ? Optional.empty() : inner.data(), all);
    }
    return NationalSettlementMapper.report(product, document, ctx, "", options);
  }

  /**
   * Reads a posted document so that amounts keep their literal decimals. The exception's message names only
   * where the JSON breaks, never its content (it may hold personal data).
   */
  public static JsonNode readDocument(String json) {
    try {
      JsonNode node = READER.readTree(json);
      if (node == null || node.isMissingNode()) throw new IllegalArgumentException("is empty, not JSON");
      return node;
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String why = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
          ? "repeats a field" : "is not valid JSON";
      throw new IllegalArgumentException(why + where);
    }
  }

  static FieldProblem unknown(String prefix, String name, JsonNode value, SetlinfoOptions options) {
    return new FieldProblem(prefix + ShownValues.fieldName(name), SettlementFieldException.Reason.UNKNOWN_FIELD,
        "is not a field the mapping knows; not carried", ShownValues.shape(value), options.unknownFieldsBlock());
  }

  public boolean clean() {
    return problems.isEmpty();
  }

  /** The mapped settlement as it may be printed: the person's number, certificate number and name masked. */
  public Optional<SettlementData> dataForDisplay() {
    return data.map(d -> {
      Person p = d.getPerson();
      Person.Builder masked = p.toBuilder();
      if (!p.getCertNumber().isEmpty()) masked.setCertNumber(Masks.residentId(p.getCertNumber()));
      if (!p.getPersonNumber().isEmpty()) masked.setPersonNumber(ShownValues.PERSONAL.get("psn_no").apply(p.getPersonNumber()));
      if (!p.getName().isEmpty()) masked.setName(Masks.name(p.getName()));
      return d.toBuilder().setPerson(masked).build();
    });
  }

  /**
   * The report as JSON, personal data masked: {@code clean}, {@code settlement_data} (protobuf's canonical JSON
   * of the masked SettlementData, or null when blocked) and {@code problems} (path, reason, detail, value, blocking).
   */
  public ObjectNode reportJson() {
    ObjectNode out = JSON.createObjectNode();
    out.put("clean", clean());
    Optional<SettlementData> shown = dataForDisplay();
    if (shown.isPresent()) out.set("settlement_data", readTree(canonicalJson(shown.get())));
    else out.putNull("settlement_data");
    var list = out.putArray("problems");
    for (FieldProblem p : problems) {
      list.addObject().put("path", p.path()).put("reason", p.reason().name()).put("detail", p.detail())
          .put("value", p.shown()).put("blocking", p.blocking());
    }
    return out;
  }

  /** Protobuf's canonical JSON mapping (the agent's and docs/agent.md's): lowerCamelCase names, int64 as strings. */
  public static String canonicalJson(SettlementData data) {
    try {
      return JsonFormat.printer().print(data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("SettlementData has no Any fields to resolve", e);
    }
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("JsonFormat printed invalid JSON", e);
    }
  }
}
