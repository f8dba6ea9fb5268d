package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hmb map setlinfo}: exact fen out, problems named, personal data masked, plain one-line usage errors. */
class MapCommandTest {
  static final Path SAMPLES = Path.of("../adapters/src/test/resources/setlinfo");

  @TempDir Path tmp;

  static HmbRun hmb(String... args) {
    return HmbRun.of(args);
  }

  static String sample(String name) {
    return SAMPLES.resolve(name).toString();
  }

  @Test
  void aCleanSettlementPrintsTheSettlementDataInFenAndExitsZero() throws Exception {
    HmbRun r = hmb("map", "setlinfo", sample("dalian-2025-upgrade-inpatient.json"), "--product", "dalian-2025-upgrade");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"medicalFeeTotalFen\": \"4823657\"").contains("\"personPartFen\": \"1629194\"")
        .contains("\"careType\": \"CARE_TYPE_INPATIENT\"").contains("clean: every field mapped");
    assertThat(r.out()).doesNotContain("210203199001011239").doesNotContain("21020000000012345678").doesNotContain("王建国")
        .contains("2102**********1239");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void wuweiNeedsItsPolicyStartAndSaysSo() {
    HmbRun without = hmb("map", "setlinfo", sample("wuwei-2025-basic-inpatient.json"), "--product", "wuwei-2025-basic");
    assertThat(without.exit()).isEqualTo(1);
    assertThat(without.out()).contains("policy_start").contains("MISSING_FIELD").contains("no SettlementData");
    HmbRun with = hmb("map", "setlinfo", sample("wuwei-2025-basic-inpatient.json"), "--product", "wuwei-2025-basic",
        "--policy-start", "2025-03-01");
    assertThat(with.exit()).isZero();
    assertThat(with.out()).contains("\"medicalFeeTotalFen\": \"2345678\"");
  }

  @Test
  void problemsAreATableOfFieldsWithMaskedValuesAndExitOne() {
    HmbRun r = hmb("map", "setlinfo", sample("dalian-2025-upgrade-problems.json"), "--product", "dalian-2025-upgrade");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("11 problem(s):").containsPattern("FIELD +PROBLEM +VALUE +BLOCKS +DETAIL")
        .containsPattern("medfee_sumamt +TOO_MANY_DECIMALS +48236\\.575 +yes +at most 2 decimals")
        .containsPattern("patient_phone +UNKNOWN_FIELD +\\(a string of 11 characters\\) +no")
        .containsPattern("certno +BAD_CERT_NUMBER +\\*{18} +yes");
    assertThat(r.out()).doesNotContain("13812345678").doesNotContain("210203199001011235")
        .doesNotContain("21020000000012345679").doesNotContain("张三丰");
  }

  @Test
  void jsonIsTheMachineReadableReport() throws Exception {
    HmbRun r = hmb("map", "setlinfo", sample("dalian-2025-upgrade-problems.json"), "--product", "dalian-2025-upgrade", "--json");
    assertThat(r.exit()).isEqualTo(1);
    var report = new ObjectMapper().readTree(r.out());
    assertThat(report.get("clean").asBoolean()).isFalse();
    assertThat(report.get("settlement_data").isNull()).isTrue();
    assertThat(report.get("problems")).hasSize(11);
    assertThat(report.get("problems").get(0).get("path").asText()).isEqualTo("insutype");
    assertThat(r.out()).doesNotContain("13812345678").doesNotContain("张三丰");

    HmbRun clean = hmb("map", "setlinfo", sample("liaocheng-2024-pharmacy.json"), "--product", "liaocheng-2024", "--json");
    assertThat(clean.exit()).isZero();
    var ok = new ObjectMapper().readTree(clean.out());
    assertThat(ok.get("settlement_data").get("buckets").get("inscopeCopayFen").asText()).isEqualTo("345600");
    assertThat(ok.get("problems")).isEmpty();
  }

  @Test
  void anUnknownFieldCanBeAcceptedOrMadeToBlock(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ext.json");
    Files.writeString(file, Files.readString(SAMPLES.resolve("liaocheng-2024-pharmacy.json")).replaceFirst("\\{", "{\"city_ext\": \"1\", "));
    assertThat(hmb("map", "setlinfo", file.toString(), "--product", "liaocheng-2024").exit()).isEqualTo(1);
    assertThat(hmb("map", "setlinfo", file.toString(), "--product", "liaocheng-2024", "--known", "city_ext").exit()).isZero();
    assertThat(hmb("map", "setlinfo", file.toString(), "--product", "liaocheng-2024", "--unknown-fields-block").out())
        .contains("no SettlementData: 1 problem(s) stop the mapping");
  }

  @Test
  void usageErrorsAreOneLineAndExitTwo() throws Exception {
    Path notJson = tmp.resolve("not.json");
    Files.writeString(notJson, "{\"certno\": 210203199001011239x}");
    String[][] cases = {
        {"map", "setlinfo", sample("liaocheng-2024-pharmacy.json"), "--product", "shanghai-2025"},
        {"map", "setlinfo", sample("liaocheng-2024-pharmacy.json")},
        {"map", "setlinfo", tmp.resolve("missing.json").toString(), "--product", "liaocheng-2024"},
        {"map", "setlinfo", notJson.toString(), "--product", "liaocheng-2024"},
        {"map", "setlinfo", sample("wuwei-2025-basic-inpatient.json"), "--product", "wuwei-2025-basic", "--policy-start", "1.3.2025"},
        {"map", "setlinfo", sample("liaocheng-2024-pharmacy.json"), "--product", "liaocheng-2024", "--care-type", "SPA"},
    };
    String[] says = {"unknown product \"shanghai-2025\"", "--product CODE is required", "cannot read", "is not valid JSON at line 1",
        "--policy-start", "--care-type must be one of"};
    for (int i = 0; i < cases.length; i++) {
      HmbRun r = hmb(cases[i]);
      assertThat(r.exit()).as(String.join(" ", cases[i])).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).startsWith("hmb setlinfo: ").contains(says[i]).doesNotContain("\tat ").doesNotContain("Exception")
          .doesNotContain("210203199001011239");
      assertThat(r.out()).isEmpty();
    }
  }
}
