package io.hmb.gateway.authz;

import io.hmb.api.v1.Role;
import java.util.stream.Collectors;

/** Renders docs/authorisation.md from {@link AuthorisationMatrix#RULES}. */
public final class AuthorisationDoc {
  private AuthorisationDoc() {}

  public static String render() {
    StringBuilder out = new StringBuilder()
        .append("# Authorisation matrix (generated from AuthorisationMatrix.java; do not edit by hand)\n\n")
        .append("Everything not listed is refused with `NOT_AUTHORISED` (gRPC `PERMISSION_DENIED`). \"In city\" means: ")
        .append("for a bureau, hospital, pharmacy or platform, its admdvs lies in the city of `header.admdvs` (the first ")
        .append("four digits; a district or county is in its city, `io.hmb.api.Admdvs`); for an insurer, it is a member ")
        .append("of the co-insurance body of a product of that city. \"Lead only\": the recipient must be the lead ")
        .append("insurer of `header.product_code`, or of a product of the city when no product is named. ")
        .append("`MESSAGE_TYPE_ACKNOWLEDGEMENT_RECEIPT` has no row on purpose: no RPC carries it to the gateway; a ")
        .append("recipient returns it inside the `DeliveryReceipt` of a push, and the gateway checks it as ")
        .append("docs/envelope.md section 13 says.\n\n")
        .append("**Products.** \"required\": `header.product_code` must name a product; \"if named\": it may be empty. ")
        .append("A named product must be known (else `PRODUCT_UNKNOWN`, before the matrix) and be a product of the city ")
        .append("of `header.admdvs`; as the bureau (or hospital) must be in that city too, the product's city, the ")
        .append("header's city and the bureau's city agree. The party in the column \"in the product's body\" must be ")
        .append("a member of the named product's co-insurance body if it is an insurer; a platform is in no body, and ")
        .append("its city stands in (the registry records no delegation from insurers to a platform).\n\n")
        .append("**Refusals** carry the rule's id in `ErrorInfo.metadata[\"rule\"]` (`none` when no rule covers the ")
        .append("roles) and the failed check in `metadata[\"check\"]`, one of ")
        .append(java.util.Arrays.stream(AuthorisationMatrix.Check.values()).map(c -> "`" + c.id() + "`")
            .collect(Collectors.joining(", ")))
        .append(", made in that order. They name participant, product and region codes, never an amount or a person, ")
        .append("and each is written to the audit trail as a `REJECTED` event.\n\n")
        .append("To regenerate: `mvn -pl gateway test -Dtest=AuthorisationMatrixTest -Dhmb.docs.write=true`.\n\n")
        .append("| rule | message type | sender roles | sender | recipient roles | recipient | lead only | product "
            + "| in the product's body | why |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (AuthorisationMatrix.Rule r : AuthorisationMatrix.RULES) {
      out.append("| `").append(r.id()).append("`")
          .append(" | ").append(AuthorisationMatrix.shortName(r.type()))
          .append(" | ").append(roles(r.senders()))
          .append(" | ").append(place(r.senderPlace()))
          .append(" | ").append(roles(r.recipients()))
          .append(" | ").append(place(r.recipientPlace()))
          .append(" | ").append(r.recipientMustBeLead() ? "yes" : "no")
          .append(" | ").append(r.product() == AuthorisationMatrix.ProductRule.REQUIRED ? "required" : "if named")
          .append(" | ").append(r.productMember() == AuthorisationMatrix.Side.SENDER ? "sender" : "recipient")
          .append(" | ").append(r.why()).append(" |\n");
    }
    return out.toString();
  }

  private static String roles(java.util.Set<Role> roles) {
    return roles.stream().map(AuthorisationMatrix::roleName).sorted().collect(Collectors.joining(", "));
  }

  private static String place(AuthorisationMatrix.Place p) {
    return p == AuthorisationMatrix.Place.IN_CITY ? "in city" : "anywhere";
  }
}
