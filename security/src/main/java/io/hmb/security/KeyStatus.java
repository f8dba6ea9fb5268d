package io.hmb.security;

/** Lifecycle state of a key in a {@link KeyRing} or a {@link KeyDirectory}. */
public enum KeyStatus {
  /** The key may be used: the primary seals and signs, any enabled key opens and verifies. */
  ENABLED,
  /** The key is kept but must not be used (rotated out or revoked); it can be enabled again. */
  DISABLED,
  /** The key material is gone; only its metadata remains. Cannot be enabled again. */
  DESTROYED
}
