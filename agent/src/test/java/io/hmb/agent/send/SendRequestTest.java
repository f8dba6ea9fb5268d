package io.hmb.agent.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hmb.agent.http.ApiException;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SettlementData;
import io.hmb.client.OutboundMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a send body: the payload through JsonFormat, every problem at once with its path, no value echoed. */
class SendRequestTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CERT = "210203199001011239";

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  static List<String> paths(ApiException e) {
    return e.details().path("fields").findValuesAsText("path");
  }

  @Test
  void aValidBodyBecomesTheSdksMessage() throws Exception {
    SendRequest r = SendRequest.read(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, json("{\"to\": \"INSURER-CO-210200\","
        + " \"product\": \"dalian-2025-basic\", \"admdvs\": \"210200\", \"deadlineMs\": 5000, \"payload\": "
        + "{\"settlementId\": \"S1\", \"medicalFeeTotalFen\": 4823657, \"overLimitSelfpayFen\": \"21540\","
        + " \"care_type\": \"CARE_TYPE_INPATIENT\", \"settleTime\": \"2025-12-10T08:20:00Z\"}}"));
    SettlementData p = (SettlementData) r.payload();
    assertThat(p.getMedicalFeeTotalFen()).isEqualTo(4_823_657L);
    assertThat(p.getOverLimitSelfpayFen()).isEqualTo(21_540L);
    assertThat(p.getSettleTime().getSeconds()).isPositive();
    OutboundMessage m = r.outbound("k-1", Duration.ofSeconds(10));
    assertThat(m.recipient()).contains("INSURER-CO-210200");
    assertThat(m.productCode()).contains("dalian-2025-basic");
    assertThat(m.deadline()).contains(Duration.ofSeconds(5));
    assertThat(m.idempotencyKey()).contains("k-1");

    SendRequest lead = SendRequest.read(MessageType.MESSAGE_TYPE_COVERAGE_QUERY,
        json("{\"product\": \"dalian-2025-basic\", \"payload\": {}}"));
    assertThat(lead.payload()).isEqualTo(CoverageQuery.getDefaultInstance());
    assertThat(lead.outbound(null, Duration.ofSeconds(10)).leadOfProduct()).contains("dalian-2025-basic");
  }

  @Test
  void everyProblemIsNamedByItsPathAndNoValueIsEchoed() throws Exception {
    ApiException e = catchApi(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, "{\"to\": \"" + CERT + " x\", \"deadlineMs\": 0,"
        + " \"idempotencyKey\": \"" + CERT + "/\", \"extra\": 1, \"payload\": {\"person\": {\"certNo\": \"" + CERT + "\","
        + " \"name\": 5}, \"medicalFeeTotalFen\": \"" + CERT + "x\", \"careType\": \"" + CERT + "\","
        + " \"admissionDate\": \"" + CERT + "\", \"outOfAreaFiled\": \"yes\", \"settleTime\": 7,"
        + " \"excludedItemCodes\": 3}}");
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.reason()).isEqualTo("FIELD_ERRORS");
    assertThat(paths(e)).containsExactlyInAnyOrder("extra", "to", "idempotencyKey", "deadlineMs",
        "payload.person.certNo", "payload.person.name", "payload.medicalFeeTotalFen", "payload.careType",
        "payload.admissionDate", "payload.outOfAreaFiled", "payload.settleTime", "payload.excludedItemCodes");
    assertThat(e.details().toString()).doesNotContain(CERT).doesNotContain("yes");
    assertThat(e.getMessage()).doesNotContain(CERT);
  }

  @Test
  void aRecipientIsRequiredAndADeductionNeedsTheCallersKey() throws Exception {
    assertThat(paths(catchApi(MessageType.MESSAGE_TYPE_CLAIM_RESULT, "{\"payload\": {}}"))).containsExactly("to");
    assertThat(paths(catchApi(MessageType.MESSAGE_TYPE_CLAIM_RESULT, "{\"to\": \"BUREAU-210200\"}")))
        .containsExactly("payload");
    assertThat(paths(catchApi(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, "{\"to\": \"BUREAU-210200\", \"payload\": {}}")))
        .containsExactly("idempotencyKey");
    // A store-and-forward message without a key is fine: the agent makes one.
    assertThat(SendRequest.read(MessageType.MESSAGE_TYPE_CLAIM_RESULT, json("{\"to\": \"BUREAU-210200\", \"payload\": {}}"))
        .idempotencyKey()).isNull();
  }

  @Test
  void aFieldNameThatCouldHoldDataIsShownOnlyByItsLength() throws Exception {
    ApiException e = catchApi(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, "{\"product\": \"p\", \"payload\": {\"" + CERT
        + "\": 1}}");
    assertThat(paths(e)).containsExactly("payload.(a field name of 18 characters)");
  }

  private static ApiException catchApi(MessageType type, String body) {
    try {
      SendRequest.read(type, json(body));
    } catch (ApiException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("no ApiException");
  }

  @Test
  void notAnObjectWhereOneIsExpected() {
    assertThatThrownBy(() -> SendRequest.read(MessageType.MESSAGE_TYPE_COVERAGE_QUERY,
        json("{\"product\": \"p\", \"payload\": [1]}"))).isInstanceOf(ApiException.class)
        .satisfies(t -> assertThat(paths((ApiException) t)).containsExactly("payload"));
  }
}
