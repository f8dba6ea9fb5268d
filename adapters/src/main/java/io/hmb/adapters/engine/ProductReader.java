package io.hmb.adapters.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates one product file. Every problem is collected, then {@link ProductFileException} is
 * thrown once with all of them; a product that loads is complete and consistent.
 */
public final class ProductReader {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final Set<String> TOP_KEYS = Set.of("code", "name", "city_admdvs", "source", "policy_period",
      "rounding", "claim_rules", "parameters", "deductible_groups", "assistance_rule", "liabilities", "enrolment",
      "settlement_mapping", "readings");
  private static final Set<String> LIABILITY_KEYS = Set.of("code", "clause", "claim_types", "buckets",
      "deductible_group", "ratio", "band_group", "preexisting_ratio_bp", "annual_cap_fen",
      "ratio_without_critical_illness_pku_bp", "unfiled_out_of_area_counting_bp", "conditions", "in_plan");

  private final JsonWalk w = new JsonWalk();

  private ProductReader() {}

  /** Parses and validates; {@code source} names the file in messages. */
  public static Product read(String source, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ProductFileException(source, List.of("not valid JSON: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new ProductFileException(source, List.of("the file must hold one JSON object"));
    }
    ProductReader r = new ProductReader();
    Product p = r.product(root);
    if (!r.w.problems.isEmpty()) throw new ProductFileException(source, r.w.problems);
    return p;
  }

  private Product product(JsonNode root) {
    w.onlyKeys(root, "", TOP_KEYS);
    String code = w.text(root, "code", "", true);
    if (code != null && !code.matches("[a-z0-9]+(-[a-z0-9]+)*")) w.problem("code", "must be lower-case words joined by '-', was \"" + code + "\"");
    String name = w.text(root, "name", "", true);
    String city = w.text(root, "city_admdvs", "", true);
    if (city != null && (!io.hmb.api.Admdvs.isWellFormed(city) || !io.hmb.api.Admdvs.of(city).isCity())) {
      w.problem("city_admdvs", "must be a six-digit city code xxxx00, was \"" + city + "\"");
    }
    String source = w.text(root, "source", "", true);
    Cited<PolicyPeriod> period = w.cited(root, "policy_period", "", true, false, this::period);
    Cited<String> rounding = w.cited(root, "rounding", "", true, false, (v, p) -> {
      String s = w.string(v, p);
      if (s != null && !s.equals(Product.ROUNDING_HALF_UP_PER_CLAIM_PER_LIABILITY)) {
        w.problem(p, "unknown rounding mode \"" + s + "\"; one of [" + Product.ROUNDING_HALF_UP_PER_CLAIM_PER_LIABILITY + "]");
        return null;
      }
      return s;
    });
    ClaimRules claimRules = claimRules(w.object(root, "claim_rules", "", true));
    List<Parameter> parameters = parameters(w.array(root, "parameters", "", false));
    List<DeductibleGroup> groups = deductibleGroups(w.array(root, "deductible_groups", "", true), parameters);
    Optional<AssistanceRule> assistance = Optional.ofNullable(assistanceRule(w.object(root, "assistance_rule", "", false)));
    List<Liability> liabilities = liabilities(w.array(root, "liabilities", "", true), groups);
    JsonNode enrolmentNode = w.object(root, "enrolment", "", false);
    Optional<EnrolmentTerms> enrolment = Optional.ofNullable(enrolmentNode == null ? null : enrolment(enrolmentNode));
    SettlementMapping mapping = mapping(w.object(root, "settlement_mapping", "", true));
    List<Reading> readings = readings(w.array(root, "readings", "", false));
    if (!w.problems.isEmpty()) return null;
    return new Product(code, name, city, source, period, rounding, claimRules, parameters, groups, assistance,
        liabilities, enrolment, mapping, readings);
  }

  private PolicyPeriod period(JsonNode v, String p) {
    if (!v.isObject()) {
      w.problem(p, "must be an object with \"kind\"");
      return null;
    }
    w.onlyKeys(v, p, Set.of("kind", "start", "end_exclusive", "months"));
    JsonNode k = v.get("kind");
    PolicyPeriod.Kind kind = k == null ? null : w.enumValue(k, JsonWalk.at(p, "kind"), PolicyPeriod.Kind.class);
    if (k == null) w.problem(JsonWalk.at(p, "kind"), "is required");
    if (kind == null) return null;
    switch (kind) {
      case FIXED -> {
        LocalDate start = v.has("start") ? w.date(v.get("start"), JsonWalk.at(p, "start")) : missing(p, "start");
        LocalDate end = v.has("end_exclusive") ? w.date(v.get("end_exclusive"), JsonWalk.at(p, "end_exclusive")) : missing(p, "end_exclusive");
        if (start == null || end == null) return null;
        if (!start.isBefore(end)) {
          w.problem(JsonWalk.at(p, "end_exclusive"), "must be after start " + start + ", was " + end);
          return null;
        }
        return new PolicyPeriod(kind, start, end, null);
      }
      case FROM_ENROLMENT -> {
        Integer months = v.has("months") ? w.smallInt(v.get("months"), JsonWalk.at(p, "months"), 1, 24) : missing(p, "months");
        return months == null ? null : new PolicyPeriod(kind, null, null, months);
      }
      default -> {
        return new PolicyPeriod(kind, null, null, null);
      }
    }
  }

  private <T> T missing(String path, String key) {
    w.problem(JsonWalk.at(path, key), "is required");
    return null;
  }

  private ClaimRules claimRules(JsonNode n) {
    if (n == null) return null;
    String p = "claim_rules";
    w.onlyKeys(n, p, Set.of("requires_basic_settlement", "insured_must_be_in_city",
        "insured_elsewhere_treated_in_city_only", "suspended_with_basic_insurance", "preexisting_scope", "excluded_causes",
        "excluded_causes_claim_types"));
    var basic = w.cited(n, "requires_basic_settlement", p, true, false, w::bool);
    var inCity = w.cited(n, "insured_must_be_in_city", p, true, false, w::bool);
    var elsewhere = w.cited(n, "insured_elsewhere_treated_in_city_only", p, true, false, w::bool);
    var suspended = w.cited(n, "suspended_with_basic_insurance", p, true, false, w::bool);
    var scope = w.cited(n, "preexisting_scope", p, true, false,
        (v, q) -> w.enumValue(v, q, ClaimRules.PreexistingScope.class));
    var causes = w.cited(n, "excluded_causes", p, true, false, (v, q) -> w.list(v, q, true, w::string));
    var causeTypes = w.cited(n, "excluded_causes_claim_types", p, false, false,
        (v, q) -> w.list(v, q, false, (x, r) -> w.enumValue(x, r, ClaimType.class)));
    return new ClaimRules(basic, inCity, elsewhere, suspended, scope, causes, causeTypes);
  }

  private List<Parameter> parameters(JsonNode arr) {
    List<Parameter> out = new ArrayList<>();
    if (arr == null) return out;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < arr.size(); i++) {
      String p = "parameters[" + i + "]";
      JsonNode n = arr.get(i);
      w.onlyKeys(n, p, Set.of("name", "description", "clause", "default"));
      String name = w.text(n, "name", p, true);
      String description = w.text(n, "description", p, true);
      String clause = w.text(n, "clause", p, true);
      Long def = n.has("default") && !n.get("default").isNull() ? w.fen(n.get("default"), JsonWalk.at(p, "default")) : null;
      if (name != null && !seen.add(name)) w.problem(JsonWalk.at(p, "name"), "duplicate parameter \"" + name + "\"");
      out.add(new Parameter(name, description, clause, def));
    }
    return List.copyOf(out);
  }

  private List<DeductibleGroup> deductibleGroups(JsonNode arr, List<Parameter> parameters) {
    List<DeductibleGroup> out = new ArrayList<>();
    if (arr == null) return out;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < arr.size(); i++) {
      String p = "deductible_groups[" + i + "]";
      JsonNode n = arr.get(i);
      w.onlyKeys(n, p, Set.of("id", "amount_fen", "from_parameter", "share_bp"));
      String id = w.text(n, "id", p, true);
      if (id != null && !seen.add(id)) w.problem(JsonWalk.at(p, "id"), "duplicate deductible group \"" + id + "\"");
      boolean fixed = n.has("amount_fen");
      boolean derived = n.has("from_parameter") || n.has("share_bp");
      if (fixed == derived) {
        w.problem(p, "give either amount_fen, or from_parameter with share_bp");
        continue;
      }
      if (fixed) {
        out.add(new DeductibleGroup(id, w.cited(n, "amount_fen", p, true, false, w::fen), null, null));
      } else {
        String param = w.text(n, "from_parameter", p, true);
        if (param != null && parameters.stream().noneMatch(x -> param.equals(x.name()))) {
          w.problem(JsonWalk.at(p, "from_parameter"), "no parameter named \"" + param + "\"");
        }
        out.add(new DeductibleGroup(id, null, param, w.cited(n, "share_bp", p, true, false, w::bp)));
      }
    }
    return List.copyOf(out);
  }

  private AssistanceRule assistanceRule(JsonNode n) {
    if (n == null) return null;
    String p = "assistance_rule";
    w.onlyKeys(n, p, Set.of("statuses", "deductible_reduction_bp", "flat_ratio_bp"));
    var statuses = w.cited(n, "statuses", p, true, false, (v, q) -> w.list(v, q, false, (x, r) -> w.enumValue(x, r, Assistance.class)));
    var reduction = w.cited(n, "deductible_reduction_bp", p, true, false, w::bp);
    var flat = w.cited(n, "flat_ratio_bp", p, true, false, w::bp);
    return new AssistanceRule(statuses, reduction, flat);
  }

  private List<Liability> liabilities(JsonNode arr, List<DeductibleGroup> groups) {
    List<Liability> out = new ArrayList<>();
    if (arr == null) return out;
    if (arr.isEmpty()) w.problem("liabilities", "must not be empty");
    Set<String> codes = new HashSet<>();
    Map<String, Ratio> bandsByGroup = new HashMap<>();
    Map<String, String> bandGroupOwner = new HashMap<>();
    for (int i = 0; i < arr.size(); i++) {
      String p = "liabilities[" + i + "]";
      JsonNode n = arr.get(i);
      w.onlyKeys(n, p, LIABILITY_KEYS);
      String code = w.text(n, "code", p, true);
      if (code != null && !codes.add(code)) w.problem(JsonWalk.at(p, "code"), "duplicate liability code \"" + code + "\"");
      String clause = w.text(n, "clause", p, true);
      var types = w.cited(n, "claim_types", p, true, false, (v, q) -> w.list(v, q, false, (x, r) -> w.enumValue(x, r, ClaimType.class)));
      var buckets = w.cited(n, "buckets", p, true, false, (v, q) -> w.list(v, q, false, (x, r) -> w.enumValue(x, r, Bucket.class)));
      if (buckets != null && buckets.value() != null && buckets.value().contains(Bucket.OUT_OF_CATALOGUE)
          && buckets.value().stream().anyMatch(Bucket::partOfOutOfCatalogue)) {
        w.problem(JsonWalk.at(p, "buckets"), "OUT_OF_CATALOGUE already holds CLASS_C and LISTED_OUT_OF_CATALOGUE; name either the whole or its parts");
      }
      String group = n.has("deductible_group") && !n.get("deductible_group").isNull() ? w.text(n, "deductible_group", p, true) : null;
      if (group != null && groups.stream().noneMatch(g -> group.equals(g.id()))) {
        w.problem(JsonWalk.at(p, "deductible_group"), "no deductible group \"" + group + "\"");
      }
      var ratio = w.cited(n, "ratio", p, true, false, this::ratio);
      String bandGroup = n.has("band_group") ? w.text(n, "band_group", p, true) : null;
      if (ratio != null && ratio.value() != null) {
        if (ratio.value().banded() && bandGroup == null) w.problem(JsonWalk.at(p, "band_group"), "is required for a banded ratio");
        if (!ratio.value().banded() && bandGroup != null) w.problem(JsonWalk.at(p, "band_group"), "only a banded ratio has a band group");
        if (ratio.value().banded() && bandGroup != null) {
          Ratio earlier = bandsByGroup.putIfAbsent(bandGroup, ratio.value());
          if (earlier != null && !earlier.bands().equals(ratio.value().bands())) {
            w.problem(JsonWalk.at(p, "ratio"), "band group \"" + bandGroup + "\" already has other bands in " + bandGroupOwner.get(bandGroup));
          }
          bandGroupOwner.putIfAbsent(bandGroup, p);
        }
      }
      var pre = w.cited(n, "preexisting_ratio_bp", p, false, false, w::bp);
      var cap = w.cited(n, "annual_cap_fen", p, true, true, w::fen);
      var pku = w.cited(n, "ratio_without_critical_illness_pku_bp", p, false, false, w::bp);
      var counting = w.cited(n, "unfiled_out_of_area_counting_bp", p, false, false, w::bp);
      JsonNode c = w.object(n, "conditions", p, false);
      Conditions conditions = c == null ? Conditions.NONE : conditions(c, JsonWalk.at(p, "conditions"));
      var inPlan = w.cited(n, "in_plan", p, false, false, w::bool);
      out.add(new Liability(code, clause, types, buckets, group, ratio, bandGroup, pre, cap, pku, counting, conditions, inPlan));
    }
    return List.copyOf(out);
  }

  private Ratio ratio(JsonNode v, String p) {
    if (!v.isObject() || v.has("flat_bp") == v.has("bands")) {
      w.problem(p, "must be {\"flat_bp\": n} or {\"bands\": [{\"up_to_fen\", \"bp\"}, ...]}");
      return null;
    }
    w.onlyKeys(v, p, Set.of("flat_bp", "bands"));
    if (v.has("flat_bp")) {
      Integer bp = w.bp(v.get("flat_bp"), JsonWalk.at(p, "flat_bp"));
      return bp == null ? null : Ratio.flat(bp);
    }
    String bp0 = JsonWalk.at(p, "bands");
    List<Ratio.Band> bands = w.list(v.get("bands"), bp0, false, (b, q) -> {
      w.onlyKeys(b, q, Set.of("up_to_fen", "bp"));
      JsonNode up = b.get("up_to_fen");
      if (up == null) return missing(q, "up_to_fen");
      Long upTo = up.isNull() ? null : w.fen(up, JsonWalk.at(q, "up_to_fen"));
      Integer bp = b.has("bp") ? w.bp(b.get("bp"), JsonWalk.at(q, "bp")) : missing(q, "bp");
      return bp == null ? null : new Ratio.Band(upTo, bp);
    });
    if (bands == null) return null;
    long previous = 0;
    for (int i = 0; i < bands.size(); i++) {
      Long upTo = bands.get(i).upToFen();
      boolean last = i == bands.size() - 1;
      String q = bp0 + "[" + i + "].up_to_fen";
      if (upTo == null && !last) w.problem(q, "only the last band may be open-ended");
      if (upTo != null && last) w.problem(q, "the last band must be open-ended (null)");
      if (upTo != null && upTo <= previous) w.problem(q, "must be above the previous band's end " + previous + ", was " + upTo);
      if (upTo != null) previous = upTo;
    }
    return new Ratio(null, bands);
  }

  private Conditions conditions(JsonNode n, String p) {
    w.onlyKeys(n, p, Set.of("drugs", "pharmacies", "qualified_prescription", "institutions", "max_age", "schemes",
        "treated_in_city", "min_hospital_grade", "insured_in_city", "drug_on_list"));
    return new Conditions(
        w.cited(n, "drugs", p, false, false, (v, q) -> w.list(v, q, false, this::drugListing)),
        w.cited(n, "pharmacies", p, false, false, (v, q) -> w.list(v, q, false, w::string)),
        w.cited(n, "qualified_prescription", p, false, false, w::bool),
        w.cited(n, "institutions", p, false, false, (v, q) -> w.list(v, q, false, w::string)),
        w.cited(n, "max_age", p, false, false, (v, q) -> w.smallInt(v, q, 0, 150)),
        w.cited(n, "schemes", p, false, false, (v, q) -> w.list(v, q, false, (x, r) -> w.enumValue(x, r, Scheme.class))),
        w.cited(n, "treated_in_city", p, false, false, w::bool),
        w.cited(n, "min_hospital_grade", p, false, false, (v, q) -> w.smallInt(v, q, 1, 3)),
        w.cited(n, "insured_in_city", p, false, false, w::bool),
        w.cited(n, "drug_on_list", p, false, false, w::bool));
  }

  /** A drug list entry: a name, or {"name", "brand"?, "manufacturer"?}. */
  private DrugListing drugListing(JsonNode v, String p) {
    if (v.isTextual()) {
      String name = w.string(v, p);
      return name == null ? null : DrugListing.named(name);
    }
    if (!v.isObject()) {
      w.problem(p, "must be a drug name or {\"name\", \"brand\", \"manufacturer\"}");
      return null;
    }
    w.onlyKeys(v, p, Set.of("name", "brand", "manufacturer"));
    String name = w.text(v, "name", p, true);
    String brand = v.hasNonNull("brand") ? w.text(v, "brand", p, true) : null;
    String maker = v.hasNonNull("manufacturer") ? w.text(v, "manufacturer", p, true) : null;
    return name == null ? null : new DrugListing(name, brand, maker);
  }

  private EnrolmentTerms enrolment(JsonNode n) {
    String p = "enrolment";
    w.onlyKeys(n, p, Set.of("exclusive_group", "sales_window", "insured_elsewhere_may_enrol", "premium", "refund",
        "personal_account", "veterans_may_join_until_exclusive", "newborns_of_insured_parents"));
    var group = w.cited(n, "exclusive_group", p, true, false, w::string);
    var window = w.cited(n, "sales_window", p, true, false, (v, q) -> {
      w.onlyKeys(v, q, Set.of("from", "until_exclusive"));
      LocalDate from = v.hasNonNull("from") ? w.date(v.get("from"), JsonWalk.at(q, "from")) : null;
      LocalDate until = v.hasNonNull("until_exclusive") ? w.date(v.get("until_exclusive"), JsonWalk.at(q, "until_exclusive")) : null;
      if (from != null && until != null && !from.isBefore(until)) w.problem(JsonWalk.at(q, "until_exclusive"), "must be after from " + from);
      return new EnrolmentTerms.Window(from, until);
    });
    var elsewhere = w.cited(n, "insured_elsewhere_may_enrol", p, true, false, w::bool);
    var premium = w.cited(n, "premium", p, true, false, (v, q) -> {
      List<EnrolmentTerms.PremiumBand> bands = w.list(v, q, false, (b, r) -> {
        w.onlyKeys(b, r, Set.of("max_age", "fen"));
        Integer maxAge = b.hasNonNull("max_age") ? w.smallInt(b.get("max_age"), JsonWalk.at(r, "max_age"), 0, 150) : null;
        if (!b.has("max_age")) w.problem(JsonWalk.at(r, "max_age"), "is required (null for the last band)");
        Long fen = b.has("fen") ? w.fen(b.get("fen"), JsonWalk.at(r, "fen")) : missing(r, "fen");
        return fen == null ? null : new EnrolmentTerms.PremiumBand(maxAge, fen);
      });
      if (bands == null) return null;
      int previous = -1;
      for (int i = 0; i < bands.size(); i++) {
        Integer max = bands.get(i).maxAge();
        boolean last = i == bands.size() - 1;
        String r = q + "[" + i + "].max_age";
        if (max == null && !last) w.problem(r, "only the last band may be open-ended");
        if (max != null && last) w.problem(r, "the last band must be open-ended (null)");
        if (max != null && max <= previous) w.problem(r, "must be above the previous band's " + previous + ", was " + max);
        if (max != null) previous = max;
      }
      return bands;
    });
    var refund = w.cited(n, "refund", p, true, false, (v, q) -> w.enumValue(v, q, EnrolmentTerms.RefundRule.class));
    var account = w.cited(n, "personal_account", p, true, false, (v, q) -> {
      w.onlyKeys(v, q, Set.of("offered", "relations", "family_must_be_insured_in_city"));
      Boolean offered = v.has("offered") ? w.bool(v.get("offered"), JsonWalk.at(q, "offered")) : missing(q, "offered");
      List<Relation> relations = v.has("relations")
          ? w.list(v.get("relations"), JsonWalk.at(q, "relations"), true, (x, r) -> w.enumValue(x, r, Relation.class))
          : missing(q, "relations");
      Boolean family = v.has("family_must_be_insured_in_city")
          ? w.bool(v.get("family_must_be_insured_in_city"), JsonWalk.at(q, "family_must_be_insured_in_city"))
          : missing(q, "family_must_be_insured_in_city");
      if (offered == null || relations == null || family == null) return null;
      if (offered && relations.isEmpty()) w.problem(JsonWalk.at(q, "relations"), "must name at least SELF when offered");
      return new EnrolmentTerms.PersonalAccountRule(offered, relations, family);
    });
    var veterans = w.cited(n, "veterans_may_join_until_exclusive", p, true, true, w::date);
    var newborns = w.cited(n, "newborns_of_insured_parents", p, true, false, w::bool);
    return new EnrolmentTerms(group, window, elsewhere, premium, refund, account, veterans, newborns);
  }

  private SettlementMapping mapping(JsonNode n) {
    if (n == null) return null;
    String p = "settlement_mapping";
    w.onlyKeys(n, p, Set.of("over_limit_selfpay", "clearing_types"));
    var overLimit = w.cited(n, "over_limit_selfpay", p, true, false, (v, q) -> {
      Bucket b = w.enumValue(v, q, Bucket.class);
      if (b != null && b.partOfOutOfCatalogue()) {
        w.problem(q, b + " is shown by item facts, not by a settlement amount; over-limit self-pay goes to a whole bucket");
        return null;
      }
      return b;
    });
    var clearing = w.cited(n, "clearing_types", p, true, false, (v, q) -> {
      if (!v.isObject() || v.isEmpty()) {
        w.problem(q, "must be a non-empty object {\"clr_type\": \"CLAIM_TYPE\"}");
        return null;
      }
      Map<String, ClaimType> m = new LinkedHashMap<>();
      v.properties().forEach(e -> {
        if (!e.getKey().matches("\\d{2}")) w.problem(JsonWalk.at(q, e.getKey()), "clr_type codes are two digits");
        ClaimType t = w.enumValue(e.getValue(), JsonWalk.at(q, e.getKey()), ClaimType.class);
        if (t != null) m.put(e.getKey(), t);
      });
      return Map.copyOf(m);
    });
    return new SettlementMapping(overLimit, clearing);
  }

  private List<Reading> readings(JsonNode arr) {
    List<Reading> out = new ArrayList<>();
    if (arr == null) return out;
    for (int i = 0; i < arr.size(); i++) {
      String p = "readings[" + i + "]";
      JsonNode n = arr.get(i);
      w.onlyKeys(n, p, Set.of("name", "choice", "clause"));
      out.add(new Reading(w.text(n, "name", p, true), w.text(n, "choice", p, true), w.text(n, "clause", p, true)));
    }
    return List.copyOf(out);
  }
}
