package io.hmb.gateway.authz;

import static io.hmb.api.v1.MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST;
import static io.hmb.api.v1.MessageType.MESSAGE_TYPE_CLAIM_RESULT;
import static io.hmb.api.v1.MessageType.MESSAGE_TYPE_COVERAGE_QUERY;
import static io.hmb.api.v1.MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST;
import static io.hmb.api.v1.MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL;
import static io.hmb.api.v1.MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY;
import static io.hmb.api.v1.MessageType.MESSAGE_TYPE_POLICY_REGISTRATION;
import static io.hmb.api.v1.MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT;
import static io.hmb.api.v1.MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION;
import static io.hmb.api.v1.MessageType.MESSAGE_TYPE_SETTLEMENT_DATA;
import static io.hmb.api.v1.Role.ROLE_BUREAU;
import static io.hmb.api.v1.Role.ROLE_HOSPITAL;
import static io.hmb.api.v1.Role.ROLE_INSURER;
import static io.hmb.api.v1.Role.ROLE_PHARMACY;
import static io.hmb.api.v1.Role.ROLE_PLATFORM;

import io.hmb.api.Admdvs;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.registry.RegistrySnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may send what to whom, about which city and which product, in one table kept as data. Everything
 * not in the table is refused. docs/authorisation.md is generated from {@link #RULES} and a test checks
 * every cell.
 *
 * <p>"In the city" means: for a bureau, hospital, pharmacy or platform, its admdvs lies in the city of
 * header.admdvs; for an insurer, it is a member of the co-insurance body of a product of that city.
 *
 * <p>Products: a rule says whether header.product_code is {@link ProductRule#REQUIRED} or checked
 * {@link ProductRule#IF_NAMED}. A named product must be one of header.admdvs's city (so, with a recipient
 * or sender "in city", of the bureau's city too), and the rule's insurer side ({@link Rule#productMember()})
 * must be in that product's co-insurance body. A platform is in no co-insurance body: for it the city
 * stands in (the registry records no delegation from an insurer to a platform).
 *
 * <p>A refusal names its rule ({@link Rule#id()}) and the check that failed ({@link Check}), never an
 * amount or a person: the gateway cannot read payloads, and its messages name only participant codes,
 * product codes and region codes.
 */
public final class AuthorisationMatrix {

  /** Where a party must be relative to header.admdvs. */
  public enum Place {
    /** The party must be in the message's city. */
    IN_CITY,
    /** The party may be anywhere. No rule uses it today; kept so the table can say so. */
    ANYWHERE
  }

  /** Whether the rule needs header.product_code. */
  public enum ProductRule {
    /** product_code must be named; it must be a product of the city, and the insurer side in its body. */
    REQUIRED,
    /** product_code may be empty; if named, the same checks as REQUIRED. */
    IF_NAMED
  }

  /** Which party of a message must be in the named product's co-insurance body (the insurer side). */
  public enum Side { SENDER, RECIPIENT }

  /** The checks a refusal can name (ErrorInfo metadata "check"), in the order they are made. */
  public enum Check {
    /** The type is an answer and travels only as a reply. */
    ANSWER_TYPE,
    /** No rule allows this sender role to send this type to this recipient role. */
    ROLES,
    SENDER_CITY,
    RECIPIENT_CITY,
    PRODUCT_NAMED,
    PRODUCT_CITY,
    PRODUCT_MEMBER,
    LEAD_ONLY;

    /** As in ErrorInfo metadata: snake_case. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One allowed combination.
   *
   * @param id stable snake_case name of the rule, sent in ErrorInfo metadata "rule" with every refusal
   * @param productMember the side that must be in the named product's co-insurance body
   * @param why what the rule is for, and the decision where the seeds are silent
   */
  public record Rule(String id, MessageType type, Set<Role> senders, Place senderPlace, Set<Role> recipients,
      Place recipientPlace, boolean recipientMustBeLead, ProductRule product, Side productMember, String why) {}

  /** Why a message is refused: the rule (or {@link #NO_RULE}), the failed check, and words that name no person. */
  public record Refusal(String rule, Check check, String message) {
    /** The ErrorInfo metadata of the refusal. */
    public Map<String, String> metadata() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("rule", rule);
      m.put("check", check.id());
      if (check == Check.PRODUCT_NAMED || check == Check.PRODUCT_CITY) {
        m.put("field", "product_code");
      }
      return m;
    }
  }

  /** The rule a refusal names when no rule covers the roles (or the type is an answer). */
  public static final String NO_RULE = "none";

  public static final List<Rule> RULES = List.of(
      new Rule("coverage_query", MESSAGE_TYPE_COVERAGE_QUERY, Set.of(ROLE_BUREAU, ROLE_HOSPITAL, ROLE_PHARMACY),
          Place.IN_CITY, Set.of(ROLE_INSURER), Place.IN_CITY, true, ProductRule.IF_NAMED, Side.RECIPIENT,
          "coverage check at admission, discharge or a special-drug purchase, own city only, to the lead insurer"),
      new Rule("insured_status_query", MESSAGE_TYPE_INSURED_STATUS_QUERY, Set.of(ROLE_INSURER, ROLE_PLATFORM),
          Place.IN_CITY, Set.of(ROLE_BUREAU), Place.IN_CITY, false, ProductRule.IF_NAMED, Side.SENDER,
          "enrolment check with the bureau of the product's city, only by an insurer underwriting a product of that "
              + "city (or a platform registered there). Decision, the seeds being silent: a person insured elsewhere "
              + "who may buy the product (000: 异地医保的新市民) is not asked about at another city's bureau through "
              + "the gateway; that bureau would tell any insurer anywhere who is insured"),
      new Rule("policy_registration", MESSAGE_TYPE_POLICY_REGISTRATION, Set.of(ROLE_INSURER, ROLE_PLATFORM),
          Place.IN_CITY, Set.of(ROLE_BUREAU), Place.IN_CITY, false, ProductRule.REQUIRED, Side.SENDER,
          "who is enrolled in the named product, for the bureau of the product's city (one-stop settlement), from a "
              + "member of its co-insurance body or a platform of that city (004 三(3): 委托第三方运营平台; the "
              + "registry records no delegation, so the platform's city stands in)"),
      new Rule("deduction_request", MESSAGE_TYPE_DEDUCTION_REQUEST, Set.of(ROLE_INSURER), Place.IN_CITY,
          Set.of(ROLE_BUREAU), Place.IN_CITY, false, ProductRule.REQUIRED, Side.SENDER,
          "personal-account premium deduction for the named product, from a member of its co-insurance body, to "
              + "the bureau of the product's city. Decision: the payer's insured city is the product's city; every "
              + "seed that allows account payment limits it to that city's insured (000: 大连医保参保人; 004: the "
              + "worker and 市内参保的直系家庭成员; 002 does not offer it), so a payer insured elsewhere cannot pay "
              + "for another city's product through the gateway"),
      new Rule("deduction_reversal", MESSAGE_TYPE_DEDUCTION_REVERSAL, Set.of(ROLE_INSURER), Place.IN_CITY,
          Set.of(ROLE_BUREAU), Place.IN_CITY, false, ProductRule.REQUIRED, Side.SENDER,
          "reversal of a deduction, naming its product, from a member of the product's co-insurance body to the "
              + "bureau of the product's city (the bureau that posted it)"),
      new Rule("settlement_data", MESSAGE_TYPE_SETTLEMENT_DATA, Set.of(ROLE_BUREAU), Place.IN_CITY,
          Set.of(ROLE_INSURER), Place.IN_CITY, false, ProductRule.IF_NAMED, Side.RECIPIENT,
          "settlement data, only from the city's bureau to an insurer of the named (or the city's) product"),
      new Rule("settlement_cancellation", MESSAGE_TYPE_SETTLEMENT_CANCELLATION, Set.of(ROLE_BUREAU), Place.IN_CITY,
          Set.of(ROLE_INSURER), Place.IN_CITY, false, ProductRule.IF_NAMED, Side.RECIPIENT,
          "cancelled settlement (platform 2305), same path as the settlement data"),
      new Rule("benefit_quote_request", MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, Set.of(ROLE_BUREAU, ROLE_HOSPITAL),
          Place.IN_CITY, Set.of(ROLE_INSURER), Place.IN_CITY, true, ProductRule.IF_NAMED, Side.RECIPIENT,
          "one-stop settlement at discharge, to the lead insurer of the city's product"),
      new Rule("claim_result", MESSAGE_TYPE_CLAIM_RESULT, Set.of(ROLE_INSURER), Place.IN_CITY,
          Set.of(ROLE_BUREAU, ROLE_HOSPITAL), Place.IN_CITY, false, ProductRule.IF_NAMED, Side.SENDER,
          "claim results from an insurer of the named (or the city's) product to the city's bureau or hospitals"),
      new Rule("reconciliation_from_bureau", MESSAGE_TYPE_RECONCILIATION_REPORT, Set.of(ROLE_BUREAU), Place.IN_CITY,
          Set.of(ROLE_INSURER), Place.IN_CITY, false, ProductRule.IF_NAMED, Side.RECIPIENT,
          "daily reconciliation, bureau to insurer"),
      new Rule("reconciliation_from_insurer", MESSAGE_TYPE_RECONCILIATION_REPORT, Set.of(ROLE_INSURER), Place.IN_CITY,
          Set.of(ROLE_BUREAU), Place.IN_CITY, false, ProductRule.IF_NAMED, Side.SENDER,
          "daily reconciliation, insurer to bureau"));

  private AuthorisationMatrix() {}

  /** Empty when allowed; otherwise the rule, the check and why not, in words that name no personal data. */
  public static Optional<Refusal> refusal(EnvelopeHeader header, Participant sender, Participant recipient,
      RegistrySnapshot registry) {
    String city = header.getAdmdvs();
    boolean typeKnown = false;
    for (Rule rule : RULES) {
      if (rule.type() != header.getMessageType()) {
        continue;
      }
      typeKnown = true;
      if (!rule.senders().contains(sender.role()) || !rule.recipients().contains(recipient.role())) {
        continue;
      }
      return check(rule, header, sender, recipient, registry, city);
    }
    if (!typeKnown) {
      return Optional.of(new Refusal(NO_RULE, Check.ANSWER_TYPE,
          shortName(header.getMessageType()) + " is an answer and travels only as a reply"));
    }
    return Optional.of(new Refusal(NO_RULE, Check.ROLES, "a " + roleName(sender.role()) + " may not send "
        + shortName(header.getMessageType()) + " to a " + roleName(recipient.role())));
  }

  private static Optional<Refusal> check(Rule rule, EnvelopeHeader header, Participant sender, Participant recipient,
      RegistrySnapshot registry, String city) {
    if (rule.senderPlace() == Place.IN_CITY && !inCity(sender, city, registry)) {
      return refuse(rule, Check.SENDER_CITY, sender.code() + " may send " + shortName(rule.type())
          + " only for its own city, not " + city);
    }
    if (rule.recipientPlace() == Place.IN_CITY && !inCity(recipient, city, registry)) {
      return refuse(rule, Check.RECIPIENT_CITY, recipient.code() + " does not serve city " + city);
    }
    String code = header.getProductCode();
    if (code.isEmpty() && rule.product() == ProductRule.REQUIRED) {
      return refuse(rule, Check.PRODUCT_NAMED, shortName(rule.type()) + " must name its product in header.product_code");
    }
    if (!code.isEmpty()) {
      Optional<Product> named = registry.product(code);
      if (named.isEmpty() || !Admdvs.sameCityIfWellFormed(named.get().admdvs(), city)) {
        return refuse(rule, Check.PRODUCT_CITY, "product " + code + " is not a product of city " + city
            + (named.isPresent() ? " (it belongs to " + named.get().admdvs() + ")" : ""));
      }
      Participant insurerSide = rule.productMember() == Side.SENDER ? sender : recipient;
      if (insurerSide.role() == ROLE_INSURER && !named.get().hasMember(insurerSide.code())) {
        return refuse(rule, Check.PRODUCT_MEMBER, insurerSide.code() + " is not in the co-insurance body of "
            + named.get().code());
      }
    }
    if (rule.recipientMustBeLead()) {
      Optional<String> leadProblem = leadProblem(header, recipient, registry);
      if (leadProblem.isPresent()) {
        return refuse(rule, Check.LEAD_ONLY, leadProblem.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<Refusal> refuse(Rule rule, Check check, String why) {
    return Optional.of(new Refusal(rule.id(), check, why + " (rule " + rule.id() + ")"));
  }

  private static Optional<String> leadProblem(EnvelopeHeader header, Participant recipient, RegistrySnapshot registry) {
    if (!header.getProductCode().isEmpty()) {
      Product product = registry.product(header.getProductCode()).orElseThrow();
      return product.leadInsurer().equals(recipient.code()) ? Optional.empty()
          : Optional.of(recipient.code() + " is not the lead insurer of " + product.code()
              + "; address " + product.leadInsurer());
    }
    boolean leadInCity = registry.products().stream()
        .anyMatch(p -> Admdvs.sameCityIfWellFormed(p.admdvs(), header.getAdmdvs()) && p.leadInsurer().equals(recipient.code()));
    return leadInCity ? Optional.empty()
        : Optional.of(recipient.code() + " is not the lead insurer of a product of city " + header.getAdmdvs());
  }

  /** An insurer serves the city through a product; anyone else is registered in it (a district is in its city). */
  static boolean inCity(Participant p, String city, RegistrySnapshot registry) {
    return p.role() == ROLE_INSURER ? registry.insurerServesCity(p.code(), city) : Admdvs.sameCityIfWellFormed(p.admdvs(), city);
  }

  static String shortName(MessageType type) {
    return type.name().substring("MESSAGE_TYPE_".length());
  }

  static String roleName(Role role) {
    return role.name().substring("ROLE_".length()).toLowerCase(java.util.Locale.ROOT);
  }
}
