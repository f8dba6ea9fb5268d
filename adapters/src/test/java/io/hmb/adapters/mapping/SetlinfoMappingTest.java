package io.hmb.adapters.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.mapping.SettlementFieldException.Reason;
import io.hmb.api.v1.CareType;
import io.hmb.api.v1.SettlementData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Golden setlinfo samples (src/test/resources/setlinfo) to exact fen, and every problem named by field. */
class SetlinfoMappingTest {
  static final ProductCatalog CATALOG = ProductCatalog.shipped();

  static JsonNode sample(String name) throws IOException {
    try (InputStream in = SetlinfoMappingTest.class.getResourceAsStream("/setlinfo/" + name)) {
      return SetlinfoMapping.readDocument(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static SetlinfoMapping map(String product, JsonNode doc, MappingContext ctx) {
    return SetlinfoMapping.of(CATALOG.get(product), doc, ctx, SetlinfoOptions.DEFAULT);
  }

  @Test
  void dalianInpatientInTheOutputObjectMapsToExactFen() throws Exception {
    var m = map("dalian-2025-upgrade", sample("dalian-2025-upgrade-inpatient.json"), MappingContext.of("210200", "210200"));
    assertThat(m.problems()).isEmpty();
    SettlementData d = m.data().orElseThrow();
    assertThat(d.getMedicalFeeTotalFen()).isEqualTo(4_823_657L);
    assertThat(d.getFullOwnpayFen()).isEqualTo(612_033L);
    assertThat(d.getOverLimitSelfpayFen()).isEqualTo(21_540L);
    assertThat(d.getPriorSelfpayFen()).isEqualTo(331_892L);
    assertThat(d.getInscopeFen()).isEqualTo(3_858_192L);
    assertThat(d.getDeductibleAppliedFen()).isEqualTo(100_000L);
    assertThat(d.getPoolFundPayFen()).isEqualTo(3_194_463L);
    assertThat(d.getFundPayTotalFen()).isEqualTo(3_194_463L);
    assertThat(d.getPersonPartFen()).isEqualTo(1_629_194L);
    assertThat(d.getAccountPayFen()).isEqualTo(200_000L);
    assertThat(d.getCashPayFen()).isEqualTo(1_429_194L);
    // Dalian reads over-limit self-pay as 个人自费 (product file, settlement_mapping)
    assertThat(d.getBuckets().getOutOfCatalogueFen()).isEqualTo(612_033L + 21_540L);
    assertThat(d.getBuckets().getInscopeCopayFen()).isEqualTo(1_629_194L - 331_892L - 612_033L - 21_540L);
    assertThat(d.getBuckets().getClassBPriorSelfpayFen()).isEqualTo(331_892L);
    assertThat(d.getBuckets().getOtherSelfpayFen()).isZero();
    assertThat(d.getCareType()).isEqualTo(CareType.CARE_TYPE_INPATIENT);
    assertThat(d.getPerson().getCertNumber()).as("sealed for the insurer, so in clear").isEqualTo("210203199001011239");
    assertThat(Instant.ofEpochSecond(d.getSettleTime().getSeconds())).isEqualTo(Instant.parse("2025-12-10T08:20:00Z"));
  }

  @Test
  void wuweiWithJsonNumbersAndItsOwnPolicyStartMapsToExactFen() throws Exception {
    var ctx = new MappingContext("620600", "620600", false, 0, null, LocalDate.of(2025, 3, 1));
    var m = map("wuwei-2025-basic", sample("wuwei-2025-basic-inpatient.json"), ctx);
    assertThat(m.problems()).isEmpty();
    SettlementData d = m.data().orElseThrow();
    assertThat(d.getMedicalFeeTotalFen()).isEqualTo(2_345_678L);
    assertThat(d.getFullOwnpayFen()).isEqualTo(123_450L);
    assertThat(d.getOverLimitSelfpayFen()).isEqualTo(8_800L);
    assertThat(d.getPoolFundPayFen()).isEqualTo(1_436_907L);
    assertThat(d.getCriticalIllnessPayFen()).isEqualTo(120_000L);
    assertThat(d.getMedicalAssistancePayFen()).isEqualTo(50_000L);
    assertThat(d.getFundPayTotalFen()).isEqualTo(1_606_907L);
    assertThat(d.getPersonPartFen()).isEqualTo(738_771L);
    // Wuwei covers no over-limit self-pay: it goes to OTHER_SELFPAY (product file)
    assertThat(d.getBuckets().getOtherSelfpayFen()).isEqualTo(8_800L);
    assertThat(d.getBuckets().getOutOfCatalogueFen()).isEqualTo(123_450L);
    assertThat(d.getBuckets().getInscopeCopayFen()).isEqualTo(738_771L - 98_765L - 123_450L - 8_800L);
  }

  @Test
  void liaochengPharmacyWithWholeYuanMapsToAHighCostDrug() throws Exception {
    var m = map("liaocheng-2024", sample("liaocheng-2024-pharmacy.json"), MappingContext.of("371500", "371500"));
    assertThat(m.problems()).isEmpty();
    SettlementData d = m.data().orElseThrow();
    assertThat(d.getMedicalFeeTotalFen()).isEqualTo(1_280_000L);
    assertThat(d.getInscopeFen()).isEqualTo(1_152_000L);
    assertThat(d.getAccountPayFen()).isEqualTo(73_600L);
    assertThat(d.getBuckets().getInscopeCopayFen()).isEqualTo(345_600L);
    assertThat(d.getBuckets().getClassBPriorSelfpayFen()).isEqualTo(128_000L);
    assertThat(d.getCareType()).isEqualTo(CareType.CARE_TYPE_HIGH_COST_DRUG);
  }

  @Test
  void everyProblemOfABadSampleIsNamedByFieldAndNoAmountIsGuessed() throws Exception {
    var m = map("dalian-2025-upgrade", sample("dalian-2025-upgrade-problems.json"), MappingContext.of("210200", "210200"));
    assertThat(m.data()).isEmpty();
    Map<String, Reason> byPath = m.problems().stream().collect(Collectors.toMap(FieldProblem::path, FieldProblem::reason));
    assertThat(byPath).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("insutype", Reason.UNKNOWN_CODE),
        Map.entry("clr_type", Reason.UNKNOWN_CODE),
        Map.entry("setl_time", Reason.BAD_DATE),
        Map.entry("medfee_sumamt", Reason.TOO_MANY_DECIMALS),
        Map.entry("fulamt_ownpay_amt", Reason.NOT_A_DECIMAL),
        Map.entry("overlmt_selfpay", Reason.NEGATIVE_AMOUNT),
        Map.entry("preselfpay_amt", Reason.MISSING_FIELD),
        Map.entry("fund_pay_sumamt", Reason.FUNDS_DO_NOT_ADD_UP),
        Map.entry("psn_no", Reason.WRONG_TYPE),
        Map.entry("certno", Reason.BAD_CERT_NUMBER),
        Map.entry("patient_phone", Reason.UNKNOWN_FIELD)));
    assertThat(problem(m, "medfee_sumamt").shown()).isEqualTo("48236.575");
    assertThat(problem(m, "medfee_sumamt").detail()).contains("does not round");
    assertThat(problem(m, "patient_phone").blocking()).isFalse();
    assertThat(problem(m, "certno").blocking()).isTrue();
  }

  @Test
  void personalDataIsNeverInTheReportInClear() throws Exception {
    String report = map("dalian-2025-upgrade", sample("dalian-2025-upgrade-problems.json"),
        MappingContext.of("210200", "210200")).reportJson().toString();
    assertThat(report).doesNotContain("13812345678").doesNotContain("210203199001011235")
        .doesNotContain("21020000000012345679").doesNotContain("张三丰").doesNotContain("张");
    assertThat(report).contains("\"value\":\"******************\"") // an invalid certno is masked completely
        .contains("(a string of 11 characters)");

    String clean = map("dalian-2025-upgrade", sample("dalian-2025-upgrade-inpatient.json"),
        MappingContext.of("210200", "210200")).reportJson().toString();
    assertThat(clean).doesNotContain("210203199001011239").doesNotContain("21020000000012345678").doesNotContain("王建国")
        .contains("2102**********1239").contains("****************5678");
  }

  @Test
  void aValueInTheWrongFieldThatCouldBePersonalIsShownOnlyByItsShape() throws Exception {
    ObjectNode bill = (ObjectNode) sample("liaocheng-2024-pharmacy.json");
    bill.put("medfee_sumamt", "371502197511034410").put("clr_type", "王五");
    var m = map("liaocheng-2024", bill, MappingContext.of("371500", "371500"));
    assertThat(problem(m, "medfee_sumamt").reason()).isEqualTo(Reason.AMOUNT_TOO_LARGE);
    assertThat(m.reportJson().toString()).doesNotContain("371502197511034410").doesNotContain("王五");
  }

  @Test
  void anUnknownFieldNamedLikePersonalDataOrWithANewlineIsShownByItsLength() throws Exception {
    ObjectNode bill = (ObjectNode) sample("liaocheng-2024-pharmacy.json");
    bill.put("13812345678", "x").put("张三", "y").put("a\nb", "z");
    var m = map("liaocheng-2024", bill, MappingContext.of("371500", "371500"));
    assertThat(m.problems()).extracting(FieldProblem::path).containsExactlyInAnyOrder(
        "(a field name of 11 characters)", "(a field name of 2 characters)", "(a field name of 3 characters)");
  }

  @Test
  void anUnknownFieldIsReportedButBlocksOnlyWhenAskedAndAKnownExtensionIsQuiet() throws Exception {
    ObjectNode bill = (ObjectNode) sample("liaocheng-2024-pharmacy.json");
    bill.put("city_ext_flag", "1");
    var product = CATALOG.get("liaocheng-2024");
    var ctx = MappingContext.of("371500", "371500");
    var lenient = SetlinfoMapping.of(product, bill, ctx, SetlinfoOptions.DEFAULT);
    assertThat(lenient.data()).isPresent();
    assertThat(lenient.problems()).extracting(FieldProblem::path).containsExactly("city_ext_flag");
    assertThat(SetlinfoMapping.of(product, bill, ctx, new SetlinfoOptions(Set.of(), true)).data()).isEmpty();
    assertThat(SetlinfoMapping.of(product, bill, ctx, new SetlinfoOptions(Set.of("city_ext_flag"), false)).clean()).isTrue();
  }

  @Test
  void pathsInsideTheOutputObjectStartWithSetlinfoAndAStrangeSiblingIsNamed() throws Exception {
    ObjectNode doc = (ObjectNode) sample("dalian-2025-upgrade-inpatient.json");
    ((ObjectNode) doc.get("setlinfo")).remove("psn_part_amt");
    doc.put("remark", "x");
    var m = map("dalian-2025-upgrade", doc, MappingContext.of("210200", "210200"));
    assertThat(m.problems()).extracting(FieldProblem::path, FieldProblem::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple("setlinfo.psn_part_amt", Reason.MISSING_FIELD),
        org.assertj.core.groups.Tuple.tuple("remark", Reason.UNKNOWN_FIELD));
  }

  @Test
  void contextProblemsAreNamedAsThePlatformNamesThem() throws Exception {
    var m = map("wuwei-2025-basic", sample("wuwei-2025-basic-inpatient.json"), MappingContext.of("6206", "620600"));
    assertThat(m.problems()).extracting(FieldProblem::path).containsExactly("mdtrtarea_admvs", "policy_start");
  }

  @Test
  void theStrictMapperStillThrowsTheFirstProblemAndIgnoresUnknownFields() throws Exception {
    ObjectNode bill = (ObjectNode) sample("liaocheng-2024-pharmacy.json");
    bill.put("city_ext_flag", "1");
    var product = CATALOG.get("liaocheng-2024");
    assertThat(NationalSettlementMapper.map(product, bill, MappingContext.of("371500", "371500")).getMedicalFeeTotalFen())
        .isEqualTo(1_280_000L);
    bill.put("medfee_sumamt", 1.001).put("insutype", 310);
    assertThatThrownBy(() -> NationalSettlementMapper.map(product, bill, MappingContext.of("371500", "371500")))
        .isInstanceOfSatisfying(SettlementFieldException.class, e -> {
          assertThat(e.field()).isEqualTo("insutype");
          assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
        });
  }

  @Test
  void readingKeepsLiteralDecimalsAndRefusesRepeatedFieldsWithoutQuotingTheContent() {
    JsonNode n = SetlinfoMapping.readDocument("{\"medfee_sumamt\": 12345678901234.56}");
    assertThat(n.get("medfee_sumamt").decimalValue().toPlainString()).isEqualTo("12345678901234.56");
    assertThatThrownBy(() -> SetlinfoMapping.readDocument("{\"a\": 1, \"a\": 2}")).hasMessageStartingWith("repeats a field");
    assertThatThrownBy(() -> SetlinfoMapping.readDocument("{\"certno\": 210203199001011239x}"))
        .hasMessageStartingWith("is not valid JSON at line 1").message().doesNotContain("2102");
    assertThatThrownBy(() -> SetlinfoMapping.readDocument("  ")).hasMessage("is empty, not JSON");
  }

  @Test
  void everyCarriedFieldIsOneTheCleanSamplesUse() throws Exception {
    Set<String> used = new java.util.HashSet<>();
    for (String s : List.of("wuwei-2025-basic-inpatient.json", "liaocheng-2024-pharmacy.json")) sample(s).fieldNames().forEachRemaining(used::add);
    sample("dalian-2025-upgrade-inpatient.json").get("setlinfo").fieldNames().forEachRemaining(used::add);
    assertThat(used).containsAll(SetlinfoFields.CARRIED);
  }

  private static FieldProblem problem(SetlinfoMapping m, String path) {
    return m.problems().stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow();
  }
}
