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
      Map.entry(MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY,
          pairs(List.of("D-LEAD", "D-CO", "W-LEAD", "D-PLATFORM", "W-PLATFORM"), List.of("D-BUREAU"))),
      Map.entry(MessageType.MESSAGE_TYPE_POLICY_REGISTRATION, pairs(List.of("D-LEAD", "D-CO", "D-PLATFORM"), List.of("D-BUREAU"))),
      Map.entry(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, pairs(List.of("D-LEAD", "D-CO", "W-LEAD"), List.of("D-BUREAU"))),
      Map.entry(MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL, pairs(List.of("D-LEAD", "D-CO", "W-LEAD"), List.of("D-BUREAU"))),
      Map.entry(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, pairs(List.of("D-BUREAU"), List.of("D-LEAD", "D-CO"))),
      Map.entry(MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION, pairs(List.of("D-BUREAU"), List.of("D-LEAD", "D-CO"))),
      Map.entry(MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, pairs(List.of("D-BUREAU", "D-HOSPITAL"), List.of("D-LEAD"))),
      Map.entry(MessageType.MESSAGE_TYPE_CLAIM_RESULT, pairs(List.of("D-LEAD", "D-CO"), List.of("D-BUREAU", "D-HOSPITAL"))),
      Map.entry(MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT, union(
          pairs(List.of("D-BUREAU"), List.of("D-LEAD", "D-CO")), pairs(List.of("D-LEAD", "D-CO"), List.of("D-BUREAU")))));

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
          EnvelopeHeader header = EnvelopeHeader.newBuilder().setMessageType(type).setAdmdvs(DALIAN)
              .setSender(sender.code()).setRecipient(recipient.code()).build();
          boolean allowed = AuthorisationMatrix.refusal(header, sender, recipient, REGISTRY).isEmpty();
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
    assertThat(AuthorisationMatrix.refusal(toCo, D_HOSPITAL, D_CO, REGISTRY))
        .contains("D-CO is not the lead insurer of dalian-2025-upgrade; address D-LEAD");
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
        .contains("a hospital may not send SETTLEMENT_DATA to a insurer");
    assertThat(AuthorisationMatrix.refusal(settlement, W_BUREAU, D_LEAD, REGISTRY))
        .contains("W-BUREAU may send SETTLEMENT_DATA only for its own city, not 210200");
    EnvelopeHeader answer = settlement.toBuilder().setMessageType(MessageType.MESSAGE_TYPE_COVERAGE_DECISION).build();
    assertThat(AuthorisationMatrix.refusal(answer, D_LEAD, D_BUREAU, REGISTRY))
        .contains("COVERAGE_DECISION is an answer and travels only as a reply");
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
