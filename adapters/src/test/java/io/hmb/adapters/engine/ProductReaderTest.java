package io.hmb.adapters.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Product files load complete, or fail once with every problem; the messages are pinned here. */
class ProductReaderTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode shipped(String code) throws IOException {
    try (InputStream in = ProductReaderTest.class.getClassLoader().getResourceAsStream("products/" + code + ".json")) {
      return (ObjectNode) JSON.readTree(in);
    }
  }

  static List<String> problems(ObjectNode file) {
    try {
      ProductReader.read("test.json", file.toString());
    } catch (ProductFileException e) {
      return e.problems();
    }
    throw new AssertionError("expected the file to be refused");
  }

  @Test
  void everyShippedProductLoadsWithEveryLiabilityCited() {
    var catalog = ProductCatalog.shipped();
    assertThat(catalog.all()).extracting(Product::code).containsExactlyElementsOf(ProductCatalog.CODES);
    for (Product p : catalog.all()) {
      for (Liability l : p.liabilities()) {
        assertThat(l.clause()).as(p.code() + "/" + l.code()).isNotBlank();
        assertThat(l.ratio().clause()).isNotBlank();
        assertThat(l.annualCapFen().clause()).isNotBlank();
      }
    }
  }

  @Test
  void shippedFiguresMatchTheSeeds() {
    var c = ProductCatalog.shipped();
    var up = c.get("dalian-2025-upgrade");
    assertThat(up.deductibleGroup("hospital").amountFen().value()).isEqualTo(1_200_000L);
    assertThat(up.liability("pku_food").annualCapFen().value()).isEqualTo(5_000_000L);
    assertThat(up.liability("pku_food").ratioWithoutCriticalIllnessPkuBp().value()).isEqualTo(7000);
    assertThat(c.get("liaocheng-2024").deductibleGroup("special_effect_drug").amountFen().value()).isEqualTo(1_000_000L);
    assertThat(c.get("wuwei-2025-upgrade").liability("in_catalogue").ratio().value().bands())
        .containsExactly(new Ratio.Band(2_000_000L, 3000), new Ratio.Band(5_000_000L, 4000), new Ratio.Band(null, 5000));
    assertThat(c.get("dalian-resident-critical-illness").liability("critical_illness").annualCapFen().value()).isNull();
  }

  @Test
  void collectsEveryProblemThenFailsOnce() throws IOException {
    ObjectNode f = shipped("dalian-2025-upgrade");
    ObjectNode hospital = (ObjectNode) f.get("liabilities").get(0);
    ((ObjectNode) hospital.get("ratio").get("value")).put("flat_bp", 12000);
    ((ObjectNode) hospital.get("annual_cap_fen")).remove("clause");
    hospital.put("deductible_group", "nowhere");
    hospital.put("colour", "red");
    ((ObjectNode) f.get("policy_period").get("value")).put("end_exclusive", "2025-10-01");
    f.put("city_admdvs", "2102");

    assertThat(problems(f)).containsExactly(
        "city_admdvs: must be a six-digit city code xxxx00, was \"2102\"",
        "policy_period.value.end_exclusive: must be after start 2025-11-01, was 2025-10-01",
        "liabilities[0].colour: unknown key",
        "liabilities[0].deductible_group: no deductible group \"nowhere\"",
        "liabilities[0].ratio.value.flat_bp: must be basis points between 0 and 10000, was 12000",
        "liabilities[0].annual_cap_fen.clause: is required (cite the seed clause)");
  }

  @Test
  void bandsMustRiseAndEndOpen() throws IOException {
    ObjectNode f = shipped("wuwei-2025-basic");
    ArrayNode bands = (ArrayNode) f.get("liabilities").get(0).get("ratio").get("value").get("bands");
    ((ObjectNode) bands.get(1)).put("up_to_fen", 1_000_000);
    ((ObjectNode) bands.get(2)).put("up_to_fen", 9_000_000);
    assertThat(problems(f)).containsExactly(
        "liabilities[0].ratio.value.bands[1].up_to_fen: must be above the previous band's end 2000000, was 1000000",
        "liabilities[0].ratio.value.bands[2].up_to_fen: the last band must be open-ended (null)");
  }

  @Test
  void sharedBandGroupsMustHaveTheSameBandsAndDuplicatesAreRefused() throws IOException {
    ObjectNode f = shipped("wuwei-2025-upgrade");
    ArrayNode bands = (ArrayNode) f.get("liabilities").get(1).get("ratio").get("value").get("bands");
    ((ObjectNode) bands.get(0)).put("bp", 3500);
    ((ObjectNode) f.get("liabilities").get(1)).put("code", "in_catalogue");
    assertThat(problems(f)).containsExactly(
        "liabilities[1].code: duplicate liability code \"in_catalogue\"",
        "liabilities[1].ratio: band group \"hospital\" already has other bands in liabilities[0]");
  }

  @Test
  void requiredPartsAndUnknownEnumsAreNamed() throws IOException {
    ObjectNode f = shipped("liaocheng-2024");
    f.remove("rounding");
    ((ObjectNode) f.get("liabilities").get(0).get("claim_types")).putArray("value").add("SURGERY");
    ((ObjectNode) f.get("enrolment").get("premium")).putArray("value").addObject().put("max_age", 40).put("fen", 8900);
    ((ObjectNode) f.get("deductible_groups").get(0)).put("from_parameter", "income");
    assertThat(problems(f)).containsExactly(
        "rounding: is required",
        "deductible_groups[0]: give either amount_fen, or from_parameter with share_bp",
        "liabilities[0].claim_types.value[0]: unknown claim type \"SURGERY\"; one of [INPATIENT, DAY_WARD, SPECIAL_DRUG, PKU_FOOD, HEAVY_ION, HIGH_COST_DRUG, SPECIAL_EFFECT_DRUG, OUTPATIENT]",
        "liabilities[0].deductible_group: no deductible group \"in_scope\"",
        "enrolment.premium.value[0].max_age: the last band must be open-ended (null)");
  }

  @Test
  void theExceptionMessageListsEveryProblem() {
    assertThatThrownBy(() -> ProductReader.read("products/x.json", "{\"code\": \"X\"}"))
        .isInstanceOf(ProductFileException.class)
        .hasMessageStartingWith("products/x.json: 10 problems\n  - code: must be lower-case words joined by '-', was \"X\"\n  - name: is required");
    assertThatThrownBy(() -> ProductReader.read("products/x.json", "{not json"))
        .hasMessageStartingWith("products/x.json: 1 problem\n  - not valid JSON: ");
  }
}
