package io.hmb.security;

import io.hmb.api.v1.CipherSuite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A participant's own private keys: entries with key id, suite, status and validity window, exactly
 * one of which is primary. Immutable; change it through {@link #toBuilder()} and swap the reference.
 *
 * <p>The primary key seals and signs; every ENABLED key opens envelopes sealed for it. Rotation:
 * <ol>
 *   <li>{@code ring.toBuilder().add(newKey, notBefore, notAfter).build()} and publish the new public
 *       key to the gateway directory. Both keys are live: senders may seal for either.</li>
 *   <li>When the directory has the new key everywhere, {@code .primary(newKey.keyId())}.</li>
 *   <li>After the old key's {@code notAfter} plus the longest envelope lifetime (7 days by
 *       default), {@code .disable(oldKeyId)}, and later {@code .destroy(oldKeyId)}.</li>
 * </ol>
 * Revocation (compromise): mark the key revoked in the gateway directory first, then disable or
 * destroy it here.
 *
 * <p>{@link #toString()} prints metadata only.
 */
public final class KeyRing {

  /** Metadata of one key; holds no key material. */
  public record Entry(String keyId, CipherSuite suite, KeyStatus status, Instant notBefore,
      Instant notAfter, boolean primary) {
    /** True if the key is ENABLED and {@code at} lies in [notBefore, notAfter). */
    public boolean usableAt(Instant at) {
      return status == KeyStatus.ENABLED && !at.isBefore(notBefore) && at.isBefore(notAfter);
    }
  }

  private record Slot(PrivateKeyHandle key, Entry entry) {}

  private final Map<String, Slot> slots;
  private final String primaryKeyId;

  private KeyRing(Map<String, Slot> slots, String primaryKeyId) {
    this.slots = slots;
    this.primaryKeyId = primaryKeyId;
  }

  public static Builder builder() {
    return new Builder(new LinkedHashMap<>(), null);
  }

  public Builder toBuilder() {
    return new Builder(new LinkedHashMap<>(slots), primaryKeyId);
  }

  /** The key that seals and signs. */
  public PrivateKeyHandle primary() {
    return slots.get(primaryKeyId).key();
  }

  public Entry primaryEntry() {
    return slots.get(primaryKeyId).entry();
  }

  /** Every entry, in insertion order. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    slots.values().forEach(s -> out.add(s.entry()));
    return List.copyOf(out);
  }

  /** Public keys of the ENABLED entries, to publish in the directory. */
  public List<PublicKeyHandle> enabledPublicKeys() {
    List<PublicKeyHandle> out = new ArrayList<>();
    slots.values().stream().filter(s -> s.entry().status() == KeyStatus.ENABLED)
        .forEach(s -> out.add(s.key().publicKey()));
    return List.copyOf(out);
  }

  /** The ENABLED key with this id, for opening. DISABLED and DESTROYED keys are never returned. */
  Optional<PrivateKeyHandle> enabledKey(String keyId) {
    Slot s = slots.get(keyId);
    return s != null && s.entry().status() == KeyStatus.ENABLED ? Optional.of(s.key()) : Optional.empty();
  }

  @Override
  public String toString() {
    return "KeyRing{primary=" + primaryKeyId + ", entries=" + entries() + "}";
  }

  /** Builds a KeyRing; {@link #build()} checks that exactly one ENABLED primary exists. */
  public static final class Builder {
    private final Map<String, Slot> slots;
    private String primaryKeyId;

    private Builder(Map<String, Slot> slots, String primaryKeyId) {
      this.slots = slots;
      this.primaryKeyId = primaryKeyId;
    }

    /** Adds an ENABLED key valid in [notBefore, notAfter). The first key added becomes primary. */
    public Builder add(PrivateKeyHandle key, Instant notBefore, Instant notAfter) {
      Objects.requireNonNull(key, "key");
      if (!notBefore.isBefore(notAfter)) {
        throw new IllegalArgumentException("notBefore must be before notAfter");
      }
      if (slots.containsKey(key.keyId())) {
        throw new IllegalArgumentException("key " + key.keyId() + " is already in the ring");
      }
      slots.put(key.keyId(), new Slot(key,
          new Entry(key.keyId(), key.suite(), KeyStatus.ENABLED, notBefore, notAfter, false)));
      if (primaryKeyId == null) {
        primaryKeyId = key.keyId();
      }
      return this;
    }

    /** Makes an ENABLED key the primary. */
    public Builder primary(String keyId) {
      Slot s = existing(keyId);
      if (s.entry().status() != KeyStatus.ENABLED) {
        throw new IllegalArgumentException("only an ENABLED key can be primary: " + keyId);
      }
      primaryKeyId = keyId;
      return this;
    }

    public Builder enable(String keyId) {
      return status(keyId, KeyStatus.ENABLED);
    }

    public Builder disable(String keyId) {
      return status(keyId, KeyStatus.DISABLED);
    }

    /** Drops the key material; the entry stays as DESTROYED. Irreversible. */
    public Builder destroy(String keyId) {
      return status(keyId, KeyStatus.DESTROYED);
    }

    private Builder status(String keyId, KeyStatus status) {
      Slot s = existing(keyId);
      if (s.entry().status() == KeyStatus.DESTROYED && status != KeyStatus.DESTROYED) {
        throw new IllegalArgumentException("a DESTROYED key cannot be used again: " + keyId);
      }
      Entry e = s.entry();
      slots.put(keyId, new Slot(status == KeyStatus.DESTROYED ? null : s.key(),
          new Entry(e.keyId(), e.suite(), status, e.notBefore(), e.notAfter(), false)));
      return this;
    }

    private Slot existing(String keyId) {
      Slot s = slots.get(keyId);
      if (s == null) {
        throw new IllegalArgumentException("no key " + keyId + " in the ring");
      }
      return s;
    }

    public KeyRing build() {
      if (primaryKeyId == null) {
        throw new IllegalStateException("a KeyRing needs at least one key");
      }
      if (slots.get(primaryKeyId).entry().status() != KeyStatus.ENABLED) {
        throw new IllegalStateException("the primary key " + primaryKeyId
            + " must be ENABLED: choose another primary before disabling it");
      }
      Map<String, Slot> out = new LinkedHashMap<>();
      slots.forEach((id, s) -> {
        Entry e = s.entry();
        out.put(id, new Slot(s.key(), new Entry(e.keyId(), e.suite(), e.status(), e.notBefore(),
            e.notAfter(), id.equals(primaryKeyId))));
      });
      return new KeyRing(java.util.Collections.unmodifiableMap(out), primaryKeyId);
    }
  }
}
