package io.hmb.security;

/**
 * A token that must be presented to read or load raw private-key bytes.
 *
 * <p>The only way to obtain one is {@link InsecureSecretAccess#get()}, whose name makes every place
 * that handles raw key material easy to find with grep. Library code never asks for one on the hot
 * path: sealing, opening and verifying work on {@link PrivateKeyHandle} and {@link PublicKeyHandle}
 * and never expose key bytes. (Tink's {@code SecretKeyAccess} idea.)
 */
public final class SecretAccess {
  static final SecretAccess INSTANCE = new SecretAccess();

  private SecretAccess() {}

  static void require(SecretAccess access) {
    if (access == null) {
      throw new NullPointerException("SecretAccess is required to handle private key bytes");
    }
  }

  @Override
  public String toString() {
    return "SecretAccess";
  }
}
