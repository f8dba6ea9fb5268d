package io.hmb.agent.receive;

import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.SettlementData;
import java.time.Instant;
import java.util.UUID;

/** Messages as the SDK hands them over, built directly (MessageContext is the SDK's to make). */
final class Fixtures {
  static final String CERT = "210203199001011239";

  private Fixtures() {}

  static ReceivedMessage settlement(String settlementId) {
    SettlementData data = SettlementData.newBuilder().setSettlementId(settlementId).setVisitId("V-" + settlementId)
        .setPerson(Person.newBuilder().setCertType("01").setCertNumber(CERT).setName("张三"))
        .setMedicalFeeTotalFen(4_823_657L).build();
    return new ReceivedMessage(UUID.randomUUID().toString(), MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, "BUREAU-210200",
        "210200", "dalian-2025-basic", "settle-" + settlementId, Instant.parse("2026-12-02T08:00:00Z"), 1, data);
  }

  static ReceivedMessage coverageQuestion() {
    CoverageQuery q = CoverageQuery.newBuilder().setPerson(Person.newBuilder().setCertType("01").setCertNumber(CERT))
        .setHospitalCode("H21020000001").build();
    return new ReceivedMessage(UUID.randomUUID().toString(), MessageType.MESSAGE_TYPE_COVERAGE_QUERY, "BUREAU-210200",
        "210200", "dalian-2025-basic", "", Instant.parse("2026-12-02T08:00:00Z"), 0, q);
  }
}
