package io.hmb.gateway.authz;

import io.hmb.api.v1.Role;
import java.util.stream.Collectors;

/** Renders docs/authorisation.md from {@link AuthorisationMatrix#RULES}. */
public final class AuthorisationDoc {
  private AuthorisationDoc() {}

  public static String render() {
    StringBuilder out = new StringBuilder()
        .append("# Authorisation matrix (generated from AuthorisationMatrix.java; do not edit by hand)\n\n")
        .append("Everything not listed is refused with `NOT_AUTHORISED`. \"In city\" means: for a bureau, ")
        .append("hospital, pharmacy or platform, its admdvs lies in the city of `header.admdvs` (the first four digits; ")
        .append("a district or county is in its city, `io.hmb.api.Admdvs`); for an insurer, it is a member ")
        .append("of the co-insurance body of a product of that city. \"Lead only\": the recipient must be the lead ")
        .append("insurer of `header.product_code`, or of a product of the city when no product is named.\n")
        .append("To regenerate: `mvn -pl gateway test -Dtest=AuthorisationMatrixTest -Dhmb.docs.write=true`.\n\n")
        .append("| message type | sender roles | sender | recipient roles | recipient | lead only | why |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (AuthorisationMatrix.Rule r : AuthorisationMatrix.RULES) {
      out.append("| ").append(AuthorisationMatrix.shortName(r.type()))
          .append(" | ").append(roles(r.senders()))
          .append(" | ").append(place(r.senderPlace()))
          .append(" | ").append(roles(r.recipients()))
          .append(" | ").append(place(r.recipientPlace()))
          .append(" | ").append(r.recipientMustBeLead() ? "yes" : "no")
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
