package io.hmb.gateway.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An immutable, consistent view of the registry for the hot path (no database round trip per call). */
public final class RegistrySnapshot {
  private final Map<String, Participant> participants;
  private final Map<String, List<ParticipantKey>> keysByParticipant;
  private final Map<String, Product> products;

  public RegistrySnapshot(List<Participant> participants, List<ParticipantKey> keys, List<Product> products) {
    this.participants = participants.stream().collect(Collectors.toUnmodifiableMap(Participant::code, Function.identity()));
    this.keysByParticipant = keys.stream().collect(Collectors.groupingBy(ParticipantKey::participantCode,
        Collectors.toUnmodifiableList()));
    this.products = products.stream().collect(Collectors.toUnmodifiableMap(Product::code, Function.identity()));
  }

  public Optional<Participant> participant(String code) {
    return Optional.ofNullable(participants.get(code));
  }

  public List<Participant> participants() {
    return participants.values().stream().sorted(java.util.Comparator.comparing(Participant::code)).toList();
  }

  /** All keys of a participant, primary first. */
  public List<ParticipantKey> keys(String participantCode) {
    return keysByParticipant.getOrDefault(participantCode, List.of());
  }

  public Optional<ParticipantKey> key(String participantCode, String keyId) {
    return keys(participantCode).stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }

  /** The key to seal new messages for: the primary one if live, else the newest live one. */
  public Optional<ParticipantKey> sealingKey(String participantCode, Instant at) {
    return keys(participantCode).stream().filter(k -> k.liveAt(at)).findFirst();
  }

  public Optional<Product> product(String code) {
    return Optional.ofNullable(products.get(code));
  }

  public List<Product> products() {
    return products.values().stream().sorted(java.util.Comparator.comparing(Product::code)).toList();
  }

  /** Whether the insurer belongs to the co-insurance body of any product of the city ({@code admdvs} may be a district). */
  public boolean insurerServesCity(String insurer, String admdvs) {
    return products.values().stream().anyMatch(p -> io.hmb.api.Admdvs.sameCityIfWellFormed(p.admdvs(), admdvs)
        && p.hasMember(insurer));
  }
}
