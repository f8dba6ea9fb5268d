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
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may send what to whom, in one table kept as data. Everything not in the table is refused.
 * docs/authorisation.md is generated from {@link #RULES} and a test checks every cell.
 *
 * <p>"In the city" means: for a bureau, hospital, pharmacy or platform, its admdvs equals header.admdvs;
 * for an insurer, it is a member of the co-insurance body of a product of that city.
 */
public final class AuthorisationMatrix {

  /** Where a party must be relative to header.admdvs. */
  public enum Place {
    /** The party must be in the message's city. */
    IN_CITY,
    /** The party may be anywhere (e.g. an insurer asking the bureau of a person insured elsewhere). */
    ANYWHERE
  }

  /** One allowed combination. */
  public record Rule(MessageType type, Set<Role> senders, Place senderPlace, Set<Role> recipients,
      Place recipientPlace, boolean recipientMustBeLead, String why) {}

  public static final List<Rule> RULES = List.of(
      new Rule(MESSAGE_TYPE_COVERAGE_QUERY, Set.of(ROLE_BUREAU, ROLE_HOSPITAL, ROLE_PHARMACY), Place.IN_CITY,
          Set.of(ROLE_INSURER), Place.IN_CITY, true,
          "coverage check at admission, discharge or a special-drug purchase, own city only, to the lead insurer"),
      new Rule(MESSAGE_TYPE_INSURED_STATUS_QUERY, Set.of(ROLE_INSURER, ROLE_PLATFORM), Place.ANYWHERE,
          Set.of(ROLE_BUREAU), Place.IN_CITY, false,
          "enrolment check with the bureau of the person's insured city"),
      new Rule(MESSAGE_TYPE_POLICY_REGISTRATION, Set.of(ROLE_INSURER, ROLE_PLATFORM), Place.IN_CITY,
          Set.of(ROLE_BUREAU), Place.IN_CITY, false,
          "who is enrolled, for the bureau's one-stop settlement"),
      new Rule(MESSAGE_TYPE_DEDUCTION_REQUEST, Set.of(ROLE_INSURER), Place.ANYWHERE,
          Set.of(ROLE_BUREAU), Place.IN_CITY, false,
          "personal-account premium deduction, only to the bureau of the payer's insured city"),
      new Rule(MESSAGE_TYPE_DEDUCTION_REVERSAL, Set.of(ROLE_INSURER), Place.ANYWHERE,
          Set.of(ROLE_BUREAU), Place.IN_CITY, false,
          "reversal of a deduction, to the bureau that posted it"),
      new Rule(MESSAGE_TYPE_SETTLEMENT_DATA, Set.of(ROLE_BUREAU), Place.IN_CITY,
          Set.of(ROLE_INSURER), Place.IN_CITY, false,
          "settlement data, only from the city's bureau to an insurer of the city's product"),
      new Rule(MESSAGE_TYPE_SETTLEMENT_CANCELLATION, Set.of(ROLE_BUREAU), Place.IN_CITY,
          Set.of(ROLE_INSURER), Place.IN_CITY, false,
          "cancelled settlement (platform 2305), same path as the settlement data"),
      new Rule(MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, Set.of(ROLE_BUREAU, ROLE_HOSPITAL), Place.IN_CITY,
          Set.of(ROLE_INSURER), Place.IN_CITY, true,
          "one-stop settlement at discharge, to the lead insurer of the city's product"),
      new Rule(MESSAGE_TYPE_CLAIM_RESULT, Set.of(ROLE_INSURER), Place.IN_CITY,
          Set.of(ROLE_BUREAU, ROLE_HOSPITAL), Place.IN_CITY, false,
          "claim results from an insurer of the city's product to the city's bureau or hospitals"),
      new Rule(MESSAGE_TYPE_RECONCILIATION_REPORT, Set.of(ROLE_BUREAU), Place.IN_CITY,
          Set.of(ROLE_INSURER), Place.IN_CITY, false,
          "daily reconciliation, bureau to insurer"),
      new Rule(MESSAGE_TYPE_RECONCILIATION_REPORT, Set.of(ROLE_INSURER), Place.IN_CITY,
          Set.of(ROLE_BUREAU), Place.IN_CITY, false,
          "daily reconciliation, insurer to bureau"));

  private AuthorisationMatrix() {}

  /** Empty when allowed; otherwise why not, in words that name no personal data. */
  public static Optional<String> refusal(EnvelopeHeader header, Participant sender, Participant recipient,
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
      if (rule.senderPlace() == Place.IN_CITY && !inCity(sender, city, registry)) {
        return Optional.of(sender.code() + " may send " + shortName(rule.type()) + " only for its own city, not " + city);
      }
      if (rule.recipientPlace() == Place.IN_CITY && !inCity(recipient, city, registry)) {
        return Optional.of(recipient.code() + " does not serve city " + city);
      }
      if (rule.recipientMustBeLead()) {
        Optional<String> leadProblem = leadProblem(header, recipient, registry);
        if (leadProblem.isPresent()) {
          return leadProblem;
        }
      }
      return Optional.empty();
    }
    if (!typeKnown) {
      return Optional.of(shortName(header.getMessageType()) + " is an answer and travels only as a reply");
    }
    return Optional.of("a " + roleName(sender.role()) + " may not send " + shortName(header.getMessageType())
        + " to a " + roleName(recipient.role()));
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
