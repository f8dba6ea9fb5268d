package io.hmb.gateway.registry;

import java.time.LocalDate;
import java.util.List;

/** A city product and its co-insurance body (共保体): the lead insurer and every member's share. */
public record Product(String code, String admdvs, String leadInsurer, LocalDate termStart, LocalDate termEnd,
    List<Member> members) {

  public record Member(String insurer, int shareBp) {}

  public Product {
    members = List.copyOf(members);
  }

  /** Problems with the co-insurance body, one sentence each; empty when valid. */
  public List<String> problems() {
    var errors = new java.util.ArrayList<String>();
    int total = members.stream().mapToInt(Member::shareBp).sum();
    if (total != 10_000) {
      errors.add("shares of product " + code + " must sum to 10000 basis points, sum to " + total);
    }
    if (members.stream().noneMatch(m -> m.insurer().equals(leadInsurer))) {
      errors.add("lead insurer " + leadInsurer + " must be a member of product " + code);
    }
    if (termStart.isAfter(termEnd)) {
      errors.add("term of product " + code + " starts after it ends");
    }
    return errors;
  }

  public boolean hasMember(String insurer) {
    return members.stream().anyMatch(m -> m.insurer().equals(insurer));
  }
}
