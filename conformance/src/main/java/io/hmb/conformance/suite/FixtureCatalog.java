package io.hmb.conformance.suite;

import io.hmb.api.v1.Role;
import java.util.List;
import java.util.Optional;

/**
 * The conformance fixtures as data (docs/conformance.md#fixtures): participants in states a run cannot
 * create by itself. The cases address them by these codes; {@code ./hmb serve --demo} seeds exactly
 * this list. All are Dalian (210200) hospitals or bureaus and none is a member of a product, so no
 * business flow ever reaches them.
 */
public final class FixtureCatalog {
  /** The city every fixture is registered in. */
  public static final String CITY = "210200";

  public static final String SUSPENDED = "FIXTURE-SUSPENDED";
  public static final String REVOKED_KEY = "FIXTURE-REVOKED-KEY";
  public static final String THROTTLED = "FIXTURE-THROTTLED";
  public static final String NO_ENDPOINT = "FIXTURE-NO-ENDPOINT";
  public static final String SILENT = "FIXTURE-SILENT";
  public static final String UNREGISTERED = "FIXTURE-UNREGISTERED";

  /** How the operator registers a fixture. */
  public enum Registration { ACTIVE, SUSPENDED, NOT_REGISTERED }

  /** What the seeder sets up for a fixture besides its registration. */
  public enum Special {
    NONE,
    /** its only key is revoked */
    KEY_REVOKED,
    /** its own rate limit: {@link #THROTTLED_PER_SECOND} per second, burst 1 */
    RATE_LIMITED,
    /** an endpoint that accepts TCP and never answers, not even the TLS handshake */
    SILENT_ENDPOINT
  }

  /** The rate limit of {@link #THROTTLED}: one message a second, no burst beyond it. */
  public static final double THROTTLED_PER_SECOND = 1;

  /** One fixture: its code, role, registration and what is special about it. */
  public record Fixture(String code, Role role, Registration registration, Special special) {
    public boolean registered() {
      return registration != Registration.NOT_REGISTERED;
    }
  }

  public static final List<Fixture> ALL = List.of(
      new Fixture(SUSPENDED, Role.ROLE_HOSPITAL, Registration.SUSPENDED, Special.NONE),
      new Fixture(REVOKED_KEY, Role.ROLE_HOSPITAL, Registration.ACTIVE, Special.KEY_REVOKED),
      new Fixture(THROTTLED, Role.ROLE_HOSPITAL, Registration.ACTIVE, Special.RATE_LIMITED),
      new Fixture(NO_ENDPOINT, Role.ROLE_BUREAU, Registration.ACTIVE, Special.NONE),
      new Fixture(SILENT, Role.ROLE_BUREAU, Registration.ACTIVE, Special.SILENT_ENDPOINT),
      new Fixture(UNREGISTERED, Role.ROLE_HOSPITAL, Registration.NOT_REGISTERED, Special.NONE));

  private FixtureCatalog() {}

  public static Optional<Fixture> byCode(String code) {
    return ALL.stream().filter(f -> f.code().equals(code)).findFirst();
  }
}
