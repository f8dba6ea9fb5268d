package io.hmb.adapters.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hmb.adapters.engine.Assistance;
import io.hmb.adapters.engine.Claim;
import io.hmb.adapters.engine.ClaimType;
import io.hmb.adapters.engine.Insured;
import io.hmb.adapters.engine.JsonWalk;
import io.hmb.adapters.engine.Scheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a case file strictly: unknown keys are refused, so a typo cannot silently drop a fact. */
public final class CaseReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP = Set.of("name", "cites", "why", "product", "params", "insured", "claims",
      "expect", "expect_year", "expect_error");
  private static final Set<String> INSURED = Set.of("birth_date", "insured_city", "scheme", "preexisting", "assistance",
      "policy_start", "suspensions");
  private static final Set<String> CLAIM = Set.of("id", "date", "type", "hospital_city", "settled_by_basic_insurance",
      "out_of_area_filed", "total_fen", "public_paid_fen", "inscope_copay_fen", "class_b_prior_selfpay_fen",
      "out_of_catalogue_fen", "excluded_fen", "other_selfpay_fen", "drug", "pharmacy", "qualified_prescription",
      "critical_illness_pku_active", "hospital_grade", "institution", "preexisting_related", "excluded_cause", "corrects",
      "class_c_fen", "listed_out_of_catalogue_fen", "drug_on_list", "drug_brand", "drug_manufacturer");

  private final JsonWalk w = new JsonWalk();

  private CaseReader() {}

  public static BenefitCase read(Path file) {
    try {
      return read(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CaseFileException(file.toString(), List.of("cannot read: " + e.getMessage()));
    }
  }

  public static BenefitCase read(String file, String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new CaseFileException(file, List.of("not valid JSON: " + e.getMessage()));
    }
    CaseReader r = new CaseReader();
    BenefitCase c = r.caseOf(file, root);
    if (!r.w.problems.isEmpty()) throw new CaseFileException(file, r.w.problems);
    return c;
  }

  private BenefitCase caseOf(String file, JsonNode root) {
    if (root == null || !root.isObject()) {
      w.problem("", "a case file holds one JSON object");
      return null;
    }
    w.onlyKeys(root, "", TOP);
    String name = w.text(root, "name", "", true);
    List<String> cites = new ArrayList<>();
    JsonNode cn = root.get("cites");
    if (cn == null || cn.isNull()) w.problem("cites", "is required");
    else if (cn.isTextual()) cites.add(cn.asText());
    else if (cn.isArray()) cn.forEach(x -> cites.add(x.asText()));
    else w.problem("cites", "must be a string or an array of strings");
    String why = root.hasNonNull("why") ? w.text(root, "why", "", false) : null;
    String product = w.text(root, "product", "", true);
    Map<String, Long> params = new LinkedHashMap<>();
    JsonNode pn = w.object(root, "params", "", false);
    if (pn != null) pn.properties().forEach(e -> params.put(e.getKey(), integral(e.getValue(), "params." + e.getKey())));
    Insured insured = insured(w.object(root, "insured", "", true));
    List<BenefitCase.Step> steps = new ArrayList<>();
    JsonNode claims = w.array(root, "claims", "", true);
    if (claims != null) {
      for (int i = 0; i < claims.size(); i++) steps.add(step(claims.get(i), "claims[" + i + "]"));
    }
    List<BenefitCase.Expectation> expect = new ArrayList<>();
    JsonNode en = w.array(root, "expect", "", !root.has("expect_error") && !root.has("expect_year"));
    if (en != null) {
      for (int i = 0; i < en.size(); i++) expect.add(expectation(en.get(i), "expect[" + i + "]"));
    }
    BenefitCase.YearExpectation year = null;
    JsonNode yn = w.object(root, "expect_year", "", false);
    if (yn != null) {
      w.onlyKeys(yn, "expect_year", Set.of("total_payout_fen", "paid_fen", "deductible_used_fen", "band_amount_fen"));
      year = new BenefitCase.YearExpectation(yn.has("total_payout_fen") ? integral(yn.get("total_payout_fen"), "expect_year.total_payout_fen") : null,
          longMap(yn, "paid_fen", "expect_year"), longMap(yn, "deductible_used_fen", "expect_year"),
          longMap(yn, "band_amount_fen", "expect_year"));
    }
    BenefitCase.ErrorExpectation error = null;
    JsonNode xn = w.object(root, "expect_error", "", false);
    if (xn != null) {
      w.onlyKeys(xn, "expect_error", Set.of("reason", "field"));
      error = new BenefitCase.ErrorExpectation(w.text(xn, "reason", "expect_error", true), w.text(xn, "field", "expect_error", true));
    }
    return new BenefitCase(file, name, cites, why, product, params, insured, steps, expect, year, error);
  }

  private Insured insured(JsonNode n) {
    if (n == null) return null;
    String p = "insured";
    w.onlyKeys(n, p, INSURED);
    LocalDate birth = n.has("birth_date") ? w.date(n.get("birth_date"), p + ".birth_date") : missing(p + ".birth_date");
    String city = w.text(n, "insured_city", p, true);
    Scheme scheme = n.has("scheme") ? w.enumValue(n.get("scheme"), p + ".scheme", Scheme.class) : missing(p + ".scheme");
    Boolean pre = n.has("preexisting") ? w.bool(n.get("preexisting"), p + ".preexisting") : missing(p + ".preexisting");
    Assistance assistance = n.has("assistance") ? w.enumValue(n.get("assistance"), p + ".assistance", Assistance.class)
        : missing(p + ".assistance");
    LocalDate start = n.hasNonNull("policy_start") ? w.date(n.get("policy_start"), p + ".policy_start") : null;
    List<Insured.Suspension> suspensions = new ArrayList<>();
    JsonNode sn = w.array(n, "suspensions", p, false);
    if (sn != null) {
      for (int i = 0; i < sn.size(); i++) {
        String q = p + ".suspensions[" + i + "]";
        w.onlyKeys(sn.get(i), q, Set.of("from", "to_exclusive"));
        LocalDate from = sn.get(i).has("from") ? w.date(sn.get(i).get("from"), q + ".from") : missing(q + ".from");
        LocalDate to = sn.get(i).hasNonNull("to_exclusive") ? w.date(sn.get(i).get("to_exclusive"), q + ".to_exclusive") : null;
        suspensions.add(new Insured.Suspension(from, to));
      }
    }
    if (birth == null || city == null || scheme == null || pre == null || assistance == null) return null;
    return new Insured(birth, city, scheme, pre, assistance, start, suspensions);
  }

  private BenefitCase.Step step(JsonNode n, String p) {
    if (n.has("cancel")) {
      w.onlyKeys(n, p, Set.of("cancel", "id"));
      return new BenefitCase.CancelStep(w.text(n, "cancel", p, true));
    }
    w.onlyKeys(n, p, CLAIM);
    String id = w.text(n, "id", p, true);
    LocalDate date = n.has("date") ? w.date(n.get("date"), p + ".date") : missing(p + ".date");
    ClaimType type = n.has("type") ? w.enumValue(n.get("type"), p + ".type", ClaimType.class) : missing(p + ".type");
    String city = w.text(n, "hospital_city", p, true);
    Boolean settled = n.has("settled_by_basic_insurance") ? w.bool(n.get("settled_by_basic_insurance"), p + ".settled_by_basic_insurance")
        : missing(p + ".settled_by_basic_insurance");
    RawClaim raw = new RawClaim(id, date, type, city, Boolean.TRUE.equals(settled), optBool(n, "out_of_area_filed", p),
        n.has("total_fen") ? integral(n.get("total_fen"), p + ".total_fen") : missingLong(p + ".total_fen"),
        amount(n, "public_paid_fen", p), amount(n, "inscope_copay_fen", p), amount(n, "class_b_prior_selfpay_fen", p),
        amount(n, "out_of_catalogue_fen", p), amount(n, "excluded_fen", p), amount(n, "other_selfpay_fen", p),
        optText(n, "drug", p), optText(n, "pharmacy", p), optBool(n, "qualified_prescription", p),
        optBool(n, "critical_illness_pku_active", p),
        n.hasNonNull("hospital_grade") ? w.smallInt(n.get("hospital_grade"), p + ".hospital_grade", 1, 3) : null,
        optText(n, "institution", p), optBool(n, "preexisting_related", p), optText(n, "excluded_cause", p),
        new Claim.Items(optLong(n, "class_c_fen", p), optLong(n, "listed_out_of_catalogue_fen", p), optBool(n, "drug_on_list", p),
            optText(n, "drug_brand", p), optText(n, "drug_manufacturer", p)));
    return new BenefitCase.ClaimStep(raw, optText(n, "corrects", p));
  }

  private BenefitCase.Expectation expectation(JsonNode n, String p) {
    w.onlyKeys(n, p, Set.of("claim", "payout_fen", "per_liability_fen", "denial_reason"));
    String claim = w.text(n, "claim", p, true);
    long payout = n.has("payout_fen") ? integral(n.get("payout_fen"), p + ".payout_fen") : missingLong(p + ".payout_fen");
    return new BenefitCase.Expectation(claim, payout, longMap(n, "per_liability_fen", p), optText(n, "denial_reason", p));
  }

  private Map<String, Long> longMap(JsonNode n, String key, String p) {
    JsonNode m = w.object(n, key, p, false);
    if (m == null) return null;
    Map<String, Long> out = new LinkedHashMap<>();
    m.properties().forEach(e -> out.put(e.getKey(), integral(e.getValue(), p + "." + key + "." + e.getKey())));
    return out;
  }

  private long amount(JsonNode n, String key, String p) {
    return n.has(key) ? integral(n.get(key), p + "." + key) : 0L;
  }

  /** Any whole number, negative included: the engine, not the reader, refuses bad amounts. */
  private long integral(JsonNode v, String path) {
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      w.problem(path, "must be a whole number");
      return 0;
    }
    return v.asLong();
  }

  private Long optLong(JsonNode n, String key, String p) {
    return n.hasNonNull(key) ? integral(n.get(key), p + "." + key) : null;
  }

  private Boolean optBool(JsonNode n, String key, String p) {
    return n.hasNonNull(key) ? w.bool(n.get(key), p + "." + key) : null;
  }

  private String optText(JsonNode n, String key, String p) {
    return n.hasNonNull(key) ? w.text(n, key, p, false) : null;
  }

  private <T> T missing(String path) {
    w.problem(path, "is required");
    return null;
  }

  private long missingLong(String path) {
    w.problem(path, "is required");
    return 0;
  }
}
