package io.hmb.gateway.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.registry.RegistrySnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every cell: each message type, from each participant, to each participant, about Dalian. The
 * expected allowed cells are written out here by participant, independently of the matrix's code.
 */
class AuthorisationMatrixTest {
  static final String DALIAN = "210200";
  static final String WUWEI = "620600";

  static final Participant D_BUREAU = p("D-BUREAU", Role.ROLE_BUREAU, DALIAN);
  static final Participant D_HOSPITAL = p("D-HOSPITAL", Role.ROLE_HOSPITAL, DALIAN);
  static final Participant D_PHARMACY = p("D-PHARMACY", Role.ROLE_PHARMACY, DALIAN);
  static final Participant D_PLATFORM = p("D-PLATFORM", Role.ROLE_PLATFORM, DALIAN);
  static final Participant D_LEAD = p("D-LEAD", Role.ROLE_INSURER, DALIAN);
  static final Participant D_CO = p("D-CO", Role.ROLE_INSURER, DALIAN);
  static final Participant W_BUREAU = p("W-BUREAU", Role.ROLE_BUREAU, WUWEI);
  static final Participant W_HOSPITAL = p("W-HOSPITAL", Role.ROLE_HOSPITAL, WUWEI);
  static final Participant W_PLATFORM = p("W-PLATFORM", Role.ROLE_PLATFORM, WUWEI);
  /** Registered in Dalian but a member of no Dalian product: does not serve Dalian. */
  static final Participant W_LEAD = p("W-LEAD", Role.ROLE_INSURER, DALIAN);
  static final List<Participant> ALL = List.of(D_BUREAU, D_HOSPITAL, D_PHARMACY, D_PLATFORM, D_LEAD, D_CO,
      W_BUREAU, W_HOSPITAL, W_PLATFORM, W_LEAD);

  static final RegistrySnapshot REGISTRY = new RegistrySnapshot(ALL, List.of(), List.of(
      new Product("dalian-2025-upgrade", DALIAN, "D-LEAD", LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31),
          List.of(new Product.Member("D-LEAD", 7000), new Product.Member("D-CO", 3000))),
      new Product("wuwei-2025-basic", WUWEI, "W-LEAD", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31),
          List.of(new Product.Member("W-LEAD", 10000)))));

  /** The specification: for messages about Dalian, exactly these (sender, recipient) pairs are allowed. */
  static final Map<MessageType, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, pairs(List.of("D-BUREAU", "D-HOSPITAL", "D-PHARMACY"), List.of("D-LEAD"))),
      // Insurers of a Dalian product, or a Dalian platform: not W-LEAD (no Dalian product), not W-PLATFORM.
      Map.entry(MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY,
          pairs(List.of("D-LEAD", "D-CO", "D-PLATFORM"), List.of("D-BUREAU"))),
      // These name their product (the cells below carry dalian-2025-upgrade; PRODUCT_RULES checks the rest).
      Map.entry(MessageType.MESSAGE_TYPE_POLICY_REGISTRATION, pairs(List.of("D-LEAD", "D-CO", "D-PLATFORM"), List.of("D-BUREAU"))),
      Map.entry(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, pairs(List.of("D-LEAD", "D-CO"), List.of("D-BUREAU"))),
      Map.entry(MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL, pairs(List.of("D-LEAD", "D-CO"), List.of("D-BUREAU"))),
      Map.entry(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, pairs(List.of("D-BUREAU"), List.of("D-LEAD", "D-CO"))),
      Map.entry(MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION, pairs(List.of("D-BUREAU"), List.of("D-LEAD", "D-CO"))),
      Map.entry(MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, pairs(List.of("D-BUREAU", "D-HOSPITAL"), List.of("D-LEAD"))),
      Map.entry(MessageType.MESSAGE_TYPE_CLAIM_RESULT, pairs(List.of("D-LEAD", "D-CO"), List.of("D-BUREAU", "D-HOSPITAL"))),
      Map.entry(MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT, union(
          pairs(List.of("D-BUREAU"), List.of("D-LEAD", "D-CO")), pairs(List.of("D-LEAD", "D-CO"), List.of("D-BUREAU")))));

  static final Set<MessageType> NAME_THEIR_PRODUCT = Set.of(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST,
      MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL, MessageType.MESSAGE_TYPE_POLICY_REGISTRATION);

  @Test
  void everyCellMatchesTheSpecification() {
    List<String> wrong = new ArrayList<>();
    int cells = 0;
    for (MessageType type : MessageType.values()) {
      if (type == MessageType.UNRECOGNIZED || type == MessageType.MESSAGE_TYPE_UNSPECIFIED) {
        continue;
      }
      for (Participant sender : ALL) {
        for (Participant recipient : ALL) {
          cells++;
          EnvelopeHeader.Builder header = EnvelopeHeader.newBuilder().setMessageType(type).setAdmdvs(DALIAN)
              .setSender(sender.code()).setRecipient(recipient.code());
          if (NAME_THEIR_PRODUCT.contains(type)) {
            header.setProductCode("dalian-2025-upgrade");
          }
          boolean allowed = AuthorisationMatrix.refusal(header.build(), sender, recipient, REGISTRY).isEmpty();
          boolean expected = ALLOWED.getOrDefault(type, Set.of()).contains(sender.code() + ">" + recipient.code());
          if (allowed != expected) {
            wrong.add(type + " " + sender.code() + " -> " + recipient.code() + ": allowed=" + allowed);
          }
        }
      }
    }
    assertThat(cells).isEqualTo((MessageType.values().length - 2) * ALL.size() * ALL.size());
    assertThat(wrong).isEmpty();
  }

  @Test
  void namedProductMustBeAddressedToItsLead() {
    EnvelopeHeader toCo = EnvelopeHeader.newBuilder().setMessageType(MessageType.MESSAGE_TYPE_COVERAGE_QUERY)
        .setAdmdvs(DALIAN).setProductCode("dalian-2025-upgrade").build();
    assertThat(AuthorisationMatrix.refusal(toCo, D_HOSPITAL, D_CO, REGISTRY).map(AuthorisationMatrix.Refusal::message))
        .contains("D-CO is not the lead insurer of dalian-2025-upgrade; address D-LEAD (rule coverage_query)");
    assertThat(AuthorisationMatrix.refusal(toCo, D_HOSPITAL, D_LEAD, REGISTRY)).isEmpty();
  }

  @Test
  void aDistrictOrCountyIsInItsCityAndANeighbourIsNot() {
    EnvelopeHeader coverage = EnvelopeHeader.newBuilder().setMessageType(MessageType.MESSAGE_TYPE_COVERAGE_QUERY)
        .setAdmdvs(DALIAN).setProductCode("dalian-2025-upgrade").build();
    Participant wafangdian = p("H-WAFANGDIAN", Role.ROLE_HOSPITAL, "210281"); // 瓦房店市, a county-level city of Dalian
    Participant cityPool = p("H-POOL", Role.ROLE_HOSPITAL, "210299");
    Participant yingkou = p("H-YINGKOU", Role.ROLE_HOSPITAL, "210800");   // the neighbouring city
    Participant malformed = p("H-BAD", Role.ROLE_HOSPITAL, "00120A");
    assertThat(AuthorisationMatrix.refusal(coverage, wafangdian, D_LEAD, REGISTRY)).isEmpty();
    assertThat(AuthorisationMatrix.refusal(coverage, cityPool, D_LEAD, REGISTRY)).isEmpty();
    assertThat(AuthorisationMatrix.refusal(coverage, yingkou, D_LEAD, REGISTRY)).isPresent();
    assertThat(AuthorisationMatrix.refusal(coverage, malformed, D_LEAD, REGISTRY)).as("in no city: refused, not thrown")
        .isPresent();
    EnvelopeHeader fromDistrict = coverage.toBuilder().setAdmdvs("210281").build();
    assertThat(AuthorisationMatrix.refusal(fromDistrict, wafangdian, D_LEAD, REGISTRY))
        .as("a header naming the district: the city's product and insurer still serve it").isEmpty();
  }

  @Test
  void refusalsSayWhy() {
    EnvelopeHeader settlement = EnvelopeHeader.newBuilder().setMessageType(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA)
        .setAdmdvs(DALIAN).build();
    assertThat(AuthorisationMatrix.refusal(settlement, D_HOSPITAL, D_LEAD, REGISTRY))
        .contains(new AuthorisationMatrix.Refusal("none", AuthorisationMatrix.Check.ROLES,
            "a hospital may not send SETTLEMENT_DATA to a insurer"));
    assertThat(AuthorisationMatrix.refusal(settlement, W_BUREAU, D_LEAD, REGISTRY))
        .contains(new AuthorisationMatrix.Refusal("settlement_data", AuthorisationMatrix.Check.SENDER_CITY,
            "W-BUREAU may send SETTLEMENT_DATA only for its own city, not 210200 (rule settlement_data)"));
    EnvelopeHeader answer = settlement.toBuilder().setMessageType(MessageType.MESSAGE_TYPE_COVERAGE_DECISION).build();
    assertThat(AuthorisationMatrix.refusal(answer, D_LEAD, D_BUREAU, REGISTRY))
        .contains(new AuthorisationMatrix.Refusal("none", AuthorisationMatrix.Check.ANSWER_TYPE,
            "COVERAGE_DECISION is an answer and travels only as a reply"));
  }

  // ---- products and cities (issue 15, finding 1) -------------------------------------------------

  /** W-CO: a Wuwei co-insurer; D-BASIC-ONLY: serves Dalian through dalian-2025-basic only. */
  static final Participant W_CO = p("W-CO", Role.ROLE_INSURER, WUWEI);
  static final Participant D_BASIC_ONLY = p("D-BASIC-ONLY", Role.ROLE_INSURER, DALIAN);
  static final RegistrySnapshot WITH_PRODUCTS = new RegistrySnapshot(
      List.of(D_BUREAU, D_LEAD, D_CO, W_BUREAU, W_CO, W_LEAD, D_BASIC_ONLY, D_PLATFORM, W_PLATFORM), List.of(), List.of(
      new Product("dalian-2025-upgrade", DALIAN, "D-LEAD", LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31),
          List.of(new Product.Member("D-LEAD", 7000), new Product.Member("D-CO", 3000))),
      new Product("dalian-2025-basic", DALIAN, "D-LEAD", LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31),
          List.of(new Product.Member("D-LEAD", 7000), new Product.Member("D-BASIC-ONLY", 3000))),
      new Product("wuwei-2025-basic", WUWEI, "W-LEAD", LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31),
          List.of(new Product.Member("W-LEAD", 7000), new Product.Member("W-CO", 3000)))));

  static Optional<AuthorisationMatrix.Refusal> ask(MessageType type, String admdvs, String product, Participant from,
      Participant to) {
    EnvelopeHeader h = EnvelopeHeader.newBuilder().setMessageType(type).setAdmdvs(admdvs).setProductCode(product)
        .setSender(from.code()).setRecipient(to.code()).build();
    return AuthorisationMatrix.refusal(h, from, to, WITH_PRODUCTS);
  }

  static AuthorisationMatrix.Check checkOf(Optional<AuthorisationMatrix.Refusal> r) {
    return r.map(AuthorisationMatrix.Refusal::check).orElse(null);
  }

  @Test
  void aWuweiCoInsurerMayNotDebitADalianResidentForADalianProduct() {
    // The finding: INSURER-CO-620600 asked BUREAU-210200 to deduct for dalian-2025-upgrade and got STATE_POSTED.
    MessageType deduction = MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST;
    assertThat(checkOf(ask(deduction, DALIAN, "dalian-2025-upgrade", W_CO, D_BUREAU)))
        .isEqualTo(AuthorisationMatrix.Check.SENDER_CITY);
    // Claiming Wuwei in the header instead: the Dalian bureau is not in Wuwei.
    assertThat(checkOf(ask(deduction, WUWEI, "dalian-2025-upgrade", W_CO, D_BUREAU)))
        .isEqualTo(AuthorisationMatrix.Check.RECIPIENT_CITY);
    // Its own product, to the other city's bureau: the product's city is not the bureau's.
    assertThat(checkOf(ask(deduction, WUWEI, "wuwei-2025-basic", W_CO, D_BUREAU)))
        .isEqualTo(AuthorisationMatrix.Check.RECIPIENT_CITY);
    assertThat(checkOf(ask(deduction, DALIAN, "wuwei-2025-basic", D_LEAD, D_BUREAU)))
        .isEqualTo(AuthorisationMatrix.Check.PRODUCT_CITY);
    // Serving Dalian through another product is not enough: the sender must be in this product's body.
    assertThat(checkOf(ask(deduction, DALIAN, "dalian-2025-upgrade", D_BASIC_ONLY, D_BUREAU)))
        .isEqualTo(AuthorisationMatrix.Check.PRODUCT_MEMBER);
    assertThat(ask(deduction, DALIAN, "dalian-2025-basic", D_BASIC_ONLY, D_BUREAU)).isEmpty();
    assertThat(ask(deduction, DALIAN, "dalian-2025-upgrade", D_CO, D_BUREAU)).isEmpty();
    assertThat(ask(deduction, "210281", "dalian-2025-upgrade", D_CO, D_BUREAU)).as("a district of Dalian").isEmpty();
  }

  @Test
  void deductionsReversalsAndRegistrationsMustNameTheirProduct() {
    for (MessageType type : NAME_THEIR_PRODUCT) {
      Optional<AuthorisationMatrix.Refusal> r = ask(type, DALIAN, "", D_LEAD, D_BUREAU);
      assertThat(checkOf(r)).as(type.name()).isEqualTo(AuthorisationMatrix.Check.PRODUCT_NAMED);
      assertThat(r.get().metadata()).containsEntry("field", "product_code").containsKey("rule");
      assertThat(checkOf(ask(type, DALIAN, "dalian-2025-upgrade", D_BASIC_ONLY, D_BUREAU))).as(type.name())
          .isEqualTo(AuthorisationMatrix.Check.PRODUCT_MEMBER);
    }
    assertThat(ask(MessageType.MESSAGE_TYPE_POLICY_REGISTRATION, DALIAN, "dalian-2025-upgrade", D_PLATFORM, D_BUREAU))
        .as("a platform of the city registers for its insurers").isEmpty();
    assertThat(checkOf(ask(MessageType.MESSAGE_TYPE_POLICY_REGISTRATION, DALIAN, "dalian-2025-upgrade", W_PLATFORM,
        D_BUREAU))).isEqualTo(AuthorisationMatrix.Check.SENDER_CITY);
  }

  @Test
  void onlyInsurersOfTheBureausCityMayAskWhetherAPersonIsInsured() {
    MessageType status = MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY;
    assertThat(ask(status, DALIAN, "", D_CO, D_BUREAU)).isEmpty();
    assertThat(checkOf(ask(status, DALIAN, "", W_CO, D_BUREAU))).isEqualTo(AuthorisationMatrix.Check.SENDER_CITY);
    assertThat(checkOf(ask(status, WUWEI, "", W_CO, D_BUREAU))).isEqualTo(AuthorisationMatrix.Check.RECIPIENT_CITY);
    assertThat(checkOf(ask(status, DALIAN, "", W_PLATFORM, D_BUREAU))).isEqualTo(AuthorisationMatrix.Check.SENDER_CITY);
    assertThat(checkOf(ask(status, DALIAN, "dalian-2025-upgrade", D_BASIC_ONLY, D_BUREAU)))
        .isEqualTo(AuthorisationMatrix.Check.PRODUCT_MEMBER);
  }

  @Test
  void aNamedProductOfAnotherCityIsRefusedByTheMatrixForEveryRule() {
    // What MessagePipeline checked by hand for insurer recipients only, now a check of every rule.
    assertThat(checkOf(ask(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, DALIAN, "wuwei-2025-basic", D_BUREAU, D_LEAD)))
        .isEqualTo(AuthorisationMatrix.Check.PRODUCT_CITY);
    assertThat(checkOf(ask(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, DALIAN, "wuwei-2025-basic", D_BUREAU, D_CO)))
        .isEqualTo(AuthorisationMatrix.Check.PRODUCT_CITY);
    assertThat(checkOf(ask(MessageType.MESSAGE_TYPE_CLAIM_RESULT, DALIAN, "wuwei-2025-basic", D_LEAD, D_BUREAU)))
        .isEqualTo(AuthorisationMatrix.Check.PRODUCT_CITY);
    // Settlement data for a product goes to an insurer of that product.
    assertThat(checkOf(ask(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, DALIAN, "dalian-2025-upgrade", D_BUREAU,
        D_BASIC_ONLY))).isEqualTo(AuthorisationMatrix.Check.PRODUCT_MEMBER);
  }

  @Test
  void refusalsNameTheRuleAndNoAmountOrPerson() {
    for (AuthorisationMatrix.Rule rule : AuthorisationMatrix.RULES) {
      assertThat(rule.id()).matches("[a-z_]+");
    }
    assertThat(AuthorisationMatrix.RULES.stream().map(AuthorisationMatrix.Rule::id).distinct().count())
        .isEqualTo(AuthorisationMatrix.RULES.size());
    AuthorisationMatrix.Refusal r = ask(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, DALIAN, "dalian-2025-upgrade", W_CO,
        D_BUREAU).orElseThrow();
    assertThat(r.rule()).isEqualTo("deduction_request");
    assertThat(r.metadata()).containsEntry("rule", "deduction_request").containsEntry("check", "sender_city");
    assertThat(r.message()).contains("rule deduction_request").doesNotContainPattern("\\d{7,}");
  }

  @Test
  void committedDocMatchesTheMatrix() throws Exception {
    Path doc = Path.of("../docs/authorisation.md");
    if (Boolean.getBoolean("hmb.docs.write")) {
      Files.writeString(doc, AuthorisationDoc.render(), StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(doc, StandardCharsets.UTF_8))
        .as("docs/authorisation.md is stale: run mvn -pl gateway test -Dtest=AuthorisationMatrixTest -Dhmb.docs.write=true")
        .isEqualTo(AuthorisationDoc.render());
  }

  static Participant p(String code, Role role, String admdvs) {
    return new Participant(code, role, admdvs, code, Participant.Status.ACTIVE, Optional.empty());
  }

  static Set<String> pairs(List<String> senders, List<String> recipients) {
    Set<String> out = new HashSet<>();
    senders.forEach(s -> recipients.forEach(r -> out.add(s + ">" + r)));
    return out;
  }

  @SafeVarargs
  static Set<String> union(Set<String>... sets) {
    Set<String> out = new HashSet<>();
    Arrays.stream(sets).forEach(out::addAll);
    return out;
  }
}
