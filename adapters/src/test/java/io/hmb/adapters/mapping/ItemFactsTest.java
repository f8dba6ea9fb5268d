package io.hmb.adapters.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hmb.adapters.engine.Claim;
import io.hmb.adapters.engine.ProductCatalog;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Item facts from the platform's fee detail lines, and district codes accepted by the mapper. */
class ItemFactsTest {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  static final String DETAIL = """
      [ {"hilist_code": "XC01", "med_list_codg": "M01", "chrgitm_lv": "03", "fulamt_ownpay_amt": "100.50"},
        {"hilist_code": null,   "med_list_codg": "M02", "chrgitm_lv": "03", "fulamt_ownpay_amt": "200.00"},
        {"hilist_code": "XC03", "med_list_codg": "M03", "chrgitm_lv": "03", "fulamt_ownpay_amt": "300.00"},
        {"hilist_code": "XB04", "med_list_codg": "M04", "chrgitm_lv": "02", "fulamt_ownpay_amt": "0"} ]
      """;

  @Test
  void classCListedAndDrugOnListFromTheDetailLines() throws Exception {
    var lines = JSON.readTree(DETAIL);
    // M03 is on the bureau's list: it counts there, not also as 丙类; M02 has no catalogue code: neither
    Claim.Items items = NationalSettlementMapper.itemFacts(lines, Set.of("M03", "M02"), Set.of("XB04"));
    assertThat(items.classCFen()).isEqualTo(10050);
    assertThat(items.listedOutOfCatalogueFen()).isEqualTo(50000);
    assertThat(items.drugOnList()).isTrue();
    assertThat(items.drugBrand()).isNull();
  }

  @Test
  void withoutTheListsTheListFactsStayNotShown() throws Exception {
    Claim.Items items = NationalSettlementMapper.itemFacts(JSON.readTree(DETAIL), null, null);
    assertThat(items.classCFen()).isEqualTo(40050);
    assertThat(items.listedOutOfCatalogueFen()).isNull();
    assertThat(items.drugOnList()).isNull();
    assertThat(NationalSettlementMapper.itemFacts(null, null, null)).isEqualTo(Claim.Items.NONE);
  }

  @Test
  void aDistrictCodeIsAcceptedAndIsInTheCity() throws Exception {
    var product = ProductCatalog.shipped().get("dalian-2025-upgrade");
    var bill = NationalSettlementMapperTest.workedBill();
    var data = NationalSettlementMapper.map(product, bill, MappingContext.of("210281", "210283"));
    assertThat(data.getTreatmentAdmdvs()).isEqualTo("210281");
    assertThat(product.inCity(data.getTreatmentAdmdvs())).isTrue();
    assertThat(product.inCity("210804")).isFalse();
  }
}
