package io.hmb.api;

import java.util.Objects;

/**
 * A national medical-insurance platform region code (医保区划, admdvs), six digits read as a hierarchy:
 * province = the first two digits, city (地市, the 统筹区 of a city product) = the first four, district or
 * county = all six. {@code xx0000} is a province, {@code xxxx00} a city, {@code xxxx99} the city-level pool
 * (市本级 / 市级统筹), any other {@code xxxxNN} a district, county or county-level city of that city
 * (e.g. 210281 瓦房店市 and 210283 庄河市 are in Dalian 210200; 620602 凉州区 is in Wuwei 620600).
 *
 * <p>Why a type: a district is not another city. Comparing six-digit strings for equality treated a stay in
 * 瓦房店市 as "outside Dalian". Ask {@link #inCity(Admdvs)} or {@link #sameCity(Admdvs)} instead.
 *
 * <p>Guarantees: only six ASCII digits construct; equality is on the code. Does not guarantee that the code
 * exists in the Ministry of Civil Affairs' list (the platform adds its own pool codes such as xxxx99 and
 * 省本级 xx9900), nor handle the direct-administered municipalities' two-level pattern beyond the prefix rule
 * (1101xx is Beijing's 市辖区; 110000 the province-level city itself: its city code is 110100).
 */
public final class Admdvs {
  private final String code;

  private Admdvs(String code) {
    this.code = code;
  }

  /** The code as given; refuses anything but six ASCII digits with a province part other than 00. */
  public static Admdvs of(String code) {
    if (!isWellFormed(code)) {
      throw new IllegalArgumentException("admdvs must be six digits, province part not 00, was "
          + (code == null ? "null" : "\"" + code + "\""));
    }
    return new Admdvs(code);
  }

  /** Six ASCII digits whose province part (first two) is not 00. */
  public static boolean isWellFormed(String code) {
    if (code == null || code.length() != 6) return false;
    for (int i = 0; i < 6; i++) {
      char c = code.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return !code.startsWith("00");
  }

  public String code() {
    return code;
  }

  /** The province, {@code xx0000}. */
  public Admdvs province() {
    return new Admdvs(code.substring(0, 2) + "0000");
  }

  /** The city this code belongs to, {@code xxxx00}; a province code has no city (IllegalStateException). */
  public Admdvs city() {
    if (isProvince() || isProvinceLevelPool()) throw new IllegalStateException(code + " is provincial; it belongs to no city");
    return new Admdvs(code.substring(0, 4) + "00");
  }

  public boolean isProvince() {
    return code.endsWith("0000");
  }

  /** A city itself, {@code xxxx00} (not a province, not the province-level pool {@code xx99xx}). */
  public boolean isCity() {
    return code.endsWith("00") && !isProvince() && !isProvinceLevelPool();
  }

  /** The province-level pool (省本级), {@code xx99xx}: it lies in no city. */
  public boolean isProvinceLevelPool() {
    return code.startsWith("99", 2);
  }

  /** The city-level pool, {@code xxxx99} (市本级 / 市级统筹), which the platform often uses as insuplc_admdvs. */
  public boolean isCityPool() {
    return code.endsWith("99") && !isProvinceLevelPool();
  }

  /**
   * Whether this code lies in {@code city}: the city itself, its pool or one of its districts and counties.
   * {@code city} must be a city code ({@link #isCity()}); a province is in no city.
   */
  public boolean inCity(Admdvs city) {
    Objects.requireNonNull(city, "city");
    if (!city.isCity()) throw new IllegalArgumentException(city.code + " is not a city code (xxxx00)");
    return !isProvince() && !isProvinceLevelPool() && code.regionMatches(0, city.code, 0, 4);
  }

  /** Whether both codes lie in the same city (same first four digits; provinces lie in no city). */
  public boolean sameCity(Admdvs other) {
    Objects.requireNonNull(other, "other");
    return !isProvince() && !isProvinceLevelPool() && !other.isProvince() && code.regionMatches(0, other.code, 0, 4);
  }

  /**
   * For codes that arrive unchecked (a registry row, a header): whether both are well formed and lie in the
   * same city. A malformed code is in no city, so a check that needs one refuses rather than fails.
   */
  public static boolean sameCityIfWellFormed(String a, String b) {
    return isWellFormed(a) && isWellFormed(b) && of(a).sameCity(of(b));
  }

  /** Convenience for string codes: {@code code} lies in {@code cityCode}. Both must be well formed. */
  public static boolean inCity(String code, String cityCode) {
    return of(code).inCity(of(cityCode));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Admdvs a && a.code.equals(code);
  }

  @Override
  public int hashCode() {
    return code.hashCode();
  }

  @Override
  public String toString() {
    return code;
  }
}
