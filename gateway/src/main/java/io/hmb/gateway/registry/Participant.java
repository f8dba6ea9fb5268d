package io.hmb.gateway.registry;

import io.hmb.api.v1.Role;
import java.util.Optional;

/** A registered party: bureau, hospital, pharmacy, insurer or platform. */
public record Participant(String code, Role role, String admdvs, String displayName, Status status,
    Optional<String> endpoint) {

  public enum Status { ACTIVE, SUSPENDED }

  public boolean active() {
    return status == Status.ACTIVE;
  }

  /** Whether the gateway calls this participant (push, pass-through) rather than it pulling its inbox. */
  public boolean hasEndpoint() {
    return endpoint.isPresent();
  }
}
