package io.hmb.gateway.server;

import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.RegistryCache;
import io.hmb.gateway.registry.RegistrySnapshot;
import java.time.Clock;
import java.util.Optional;

/**
 * A participant's standing in the registry, as every hmb.v1 call checks it: unregistered
 * (SENDER_UNKNOWN), suspended (SENDER_SUSPENDED), or without a single live key (KEY_REVOKED: every key
 * revoked or outside its validity), else in good standing.
 */
public final class RegistryStanding implements PeerAuthentication.Standing {
  private final RegistryCache registry;
  private final Clock clock;

  public RegistryStanding(RegistryCache registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public Optional<StatusRuntimeException> refusal(String code) {
    RegistrySnapshot snapshot = registry.current();
    Optional<Participant> participant = snapshot.participant(code);
    if (participant.isEmpty()) {
      return Optional.of(Errors.of(ErrorReason.SENDER_UNKNOWN, "the certificate's participant " + code
          + " is not registered at this gateway"));
    }
    if (!participant.get().active()) {
      return Optional.of(Errors.of(ErrorReason.SENDER_SUSPENDED, "participant " + code + " is suspended"));
    }
    var now = clock.instant();
    if (snapshot.keys(code).stream().noneMatch(k -> k.liveAt(now))) {
      return Optional.of(Errors.of(ErrorReason.KEY_REVOKED, "participant " + code
          + " has no live key (every key is revoked or outside its validity): register a new one"));
    }
    return Optional.empty();
  }
}
