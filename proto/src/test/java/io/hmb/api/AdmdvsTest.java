package io.hmb.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The admdvs hierarchy on real codes of the three product cities and their neighbours, then as properties
 * over generated codes (seeded: a failure prints the seed; replay with -Dadmdvs.seed=N).
 */
class AdmdvsTest {
  static final Admdvs DALIAN = Admdvs.of("210200");
  static final Admdvs WUWEI = Admdvs.of("620600");
  static final Admdvs LIAOCHENG = Admdvs.of("371500");

  // 民政部 区划代码: every district, county and county-level city of the three cities, and the city pools.
  static final List<String> DALIAN_DISTRICTS = List.of("210202", "210203", "210204", "210211", "210212", "210213",
      "210214", "210224", "210281", "210283", "210299");
  static final List<String> WUWEI_DISTRICTS = List.of("620602", "620621", "620622", "620623", "620699");
  static final List<String> LIAOCHENG_DISTRICTS = List.of("371502", "371503", "371521", "371522", "371524", "371525",
      "371526", "371581", "371599");
  // Neighbours: 营口 鲅鱼圈区, 丹东 东港市, 沈阳; 金昌 金川区, 张掖 甘州区, 兰州; 德州 德城区, 济南 历下区, 泰安 东平县;
  // and the provinces and province-level pools themselves.
  static final List<String> NEIGHBOURS = List.of("210804", "210800", "210681", "210100", "620302", "620300", "620702",
      "620100", "371402", "371400", "370102", "370923", "210000", "620000", "370000", "219900", "629900", "379900");

  final long seed = Long.getLong("admdvs.seed", System.nanoTime());

  @Test
  void districtsOfTheThreeCitiesAreInTheirCity() {
    for (String d : DALIAN_DISTRICTS) assertThat(Admdvs.of(d).inCity(DALIAN)).as(d).isTrue();
    for (String d : WUWEI_DISTRICTS) assertThat(Admdvs.of(d).inCity(WUWEI)).as(d).isTrue();
    for (String d : LIAOCHENG_DISTRICTS) assertThat(Admdvs.of(d).inCity(LIAOCHENG)).as(d).isTrue();
    assertThat(Admdvs.of("210281").city()).isEqualTo(DALIAN);
    assertThat(Admdvs.of("620602").city()).isEqualTo(WUWEI);
    assertThat(Admdvs.of("210281").sameCity(Admdvs.of("210299"))).isTrue();
    assertThat(DALIAN.inCity(DALIAN)).isTrue();
  }

  @Test
  void neighbouringCitiesAndProvincesAreNotInAnyOfTheThree() {
    for (String n : NEIGHBOURS) {
      Admdvs a = Admdvs.of(n);
      assertThat(a.inCity(DALIAN) || a.inCity(WUWEI) || a.inCity(LIAOCHENG)).as(n).isFalse();
    }
    assertThat(Admdvs.of("210000").isProvince()).isTrue();
    assertThat(Admdvs.of("219900").isCity()).isFalse();
    assertThat(Admdvs.of("219900").isProvinceLevelPool()).isTrue();
    assertThat(Admdvs.of("210299").isCityPool()).isTrue();
    assertThat(Admdvs.of("210281").isCityPool()).isFalse();
  }

  @Test
  void onlySixDigitsConstruct() {
    for (String bad : new String[] {null, "", "21020", "2102000", "21O200", "２１０２００", "000000", "001234", " 10200"}) {
      assertThat(Admdvs.isWellFormed(bad)).as(String.valueOf(bad)).isFalse();
      assertThatThrownBy(() -> Admdvs.of(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Admdvs.of("210281").inCity(Admdvs.of("210281"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a city code");
    assertThatThrownBy(() -> Admdvs.of("210000").city()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void propertyEveryDistrictOfACityIsInItAndNoCodeOfAnotherCityIs() {
    Random random = new Random(seed);
    String replay = "seed=" + seed + " (replay with -Dadmdvs.seed=" + seed + ")";
    for (int round = 0; round < 2000; round++) {
      int province = 11 + random.nextInt(55);
      int cityPart = 1 + random.nextInt(98);
      Admdvs city = Admdvs.of(String.format("%02d%02d00", province, cityPart));
      // every district code xxxx01..xxxx99 is in the city, and its city() is the city
      for (int d = 0; d <= 99; d++) {
        Admdvs district = Admdvs.of(String.format("%02d%02d%02d", province, cityPart, d));
        assertThat(district.inCity(city)).as(replay + " " + district).isTrue();
        assertThat(district.city()).as(replay).isEqualTo(city);
        assertThat(district.sameCity(city)).as(replay).isTrue();
      }
      // any code whose first four digits differ is not in the city
      String other;
      do {
        other = String.format("%06d", 100000 + random.nextInt(900000));
      } while (other.startsWith(city.code().substring(0, 4)));
      Admdvs o = Admdvs.of(other);
      assertThat(o.inCity(city)).as(replay + " " + other + " vs " + city).isFalse();
      assertThat(o.sameCity(city)).as(replay).isFalse();
      // the province holding the city is in no city
      assertThat(city.province().inCity(city)).as(replay).isFalse();
    }
  }
}
