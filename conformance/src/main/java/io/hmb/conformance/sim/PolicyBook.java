package io.hmb.conformance.sim;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The insurer's policies, by number and by person. Thread-safe. */
final class PolicyBook {
  private final Map<String, Policy> byNumber = new LinkedHashMap<>();
  private final String prefix;

  PolicyBook(String city, String runTag) {
    this.prefix = "P-" + city + "-" + runTag + "-";
  }

  /** Opens a policy record (and so its idempotency keys) before any call is made for it. */
  synchronized Policy open(Application a) {
    Policy p = new Policy(prefix + String.format("%05d", byNumber.size() + 1), a);
    byNumber.put(p.policyNumber(), p);
    return p;
  }

  synchronized Optional<Policy> get(String policyNumber) {
    return Optional.ofNullable(byNumber.get(policyNumber));
  }

  synchronized List<Policy> all() {
    return new ArrayList<>(byNumber.values());
  }

  /** Products a person holds (enrolled, not cancelled). */
  synchronized Set<String> productsHeld(String certNumber) {
    return byNumber.values().stream().filter(p -> p.certNumber().equals(certNumber))
        .filter(p -> p.state() == Policy.State.ENROLLED).map(Policy::productCode).collect(Collectors.toSet());
  }

  /**
   * The person's policy to answer for: among enrolled or cancelled policies of products that
   * {@code inScope} accepts, the one of {@code preferredProduct} first, then one whose period holds
   * {@code day}, then the latest.
   */
  synchronized Optional<Policy> find(String certNumber, Predicate<String> inScope, String preferredProduct, LocalDate day) {
    return byNumber.values().stream()
        .filter(p -> p.certNumber().equals(certNumber) && inScope.test(p.productCode()))
        .filter(p -> p.state() == Policy.State.ENROLLED || p.state() == Policy.State.CANCELLED)
        .max(Comparator.<Policy, Boolean>comparing(p -> p.productCode().equals(preferredProduct))
            .thenComparing(p -> p.state() == Policy.State.ENROLLED)
            .thenComparing(p -> p.span().map(s -> s.contains(day)).orElse(false))
            .thenComparing(Policy::policyNumber));
  }
}
