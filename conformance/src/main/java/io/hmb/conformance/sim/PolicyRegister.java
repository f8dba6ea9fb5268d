package io.hmb.conformance.sim;

import io.hmb.api.v1.PolicyRegistration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bureau's register of who holds which policy, from the insurers' PolicyRegistration deliveries
 * (承保信息同步): the bureau needs it to know whom to settle one-stop and whose settlement data to send.
 * The latest registration of a policy number wins. Thread-safe.
 */
public final class PolicyRegister {
  private final Map<String, PolicyRegistration> byPolicy = new LinkedHashMap<>();

  synchronized void record(PolicyRegistration r) {
    byPolicy.put(r.getPolicyNumber(), r);
  }

  /** The policy in force for a person on a day, if an enrolment (not cancelled or suspended) covers it. */
  public synchronized Optional<PolicyRegistration> inForce(String certNumber, LocalDate day) {
    return byPolicy.values().stream()
        .filter(r -> r.getInsured().getCertNumber().equals(certNumber))
        .filter(r -> r.getAction() == PolicyRegistration.Action.ACTION_ENROL
            || r.getAction() == PolicyRegistration.Action.ACTION_RESUME)
        .filter(r -> covers(r, day))
        .findFirst();
  }

  /** Products a person holds (enrolled, not cancelled), any year. */
  public synchronized Set<String> productsHeld(String certNumber) {
    return byPolicy.values().stream()
        .filter(r -> r.getInsured().getCertNumber().equals(certNumber))
        .filter(r -> r.getAction() != PolicyRegistration.Action.ACTION_CANCEL)
        .map(PolicyRegistration::getProductCode).collect(Collectors.toSet());
  }

  public synchronized List<PolicyRegistration> all() {
    return List.copyOf(byPolicy.values());
  }

  private static boolean covers(PolicyRegistration r, LocalDate day) {
    LocalDate start = ProtoDates.localDate(r.getPeriodStartDate());
    LocalDate end = ProtoDates.localDate(r.getPeriodEndDate());
    return (start == null || !day.isBefore(start)) && (end == null || !day.isAfter(end));
  }
}
