package io.hmb.security;

/**
 * The grep-able way to obtain a {@link SecretAccess} token. Use it only in key-management tools
 * (key generation, backup, loading a key file at start-up), never in request handling.
 */
public final class InsecureSecretAccess {
  private InsecureSecretAccess() {}

  /** Returns the token that allows reading or loading raw private-key bytes. */
  public static SecretAccess get() {
    return SecretAccess.INSTANCE;
  }
}
