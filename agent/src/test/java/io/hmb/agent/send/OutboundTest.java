package io.hmb.agent.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SettlementData;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbound store: on disk before the call, its outcome kept so a repeat of the key is answered the same. */
class OutboundTest {
  static final MessageType SETTLEMENT = MessageType.MESSAGE_TYPE_SETTLEMENT_DATA;
  @TempDir Path dir;

  static Outbound.Pending pending(String key, String settlementId) {
    SettlementData payload = SettlementData.newBuilder().setSettlementId(settlementId).setMedicalFeeTotalFen(100).build();
    return new Outbound.Pending(key, SETTLEMENT, "INSURER-CO-210200", "dalian-2025-basic", null,
        Outbound.digest(SETTLEMENT, "INSURER-CO-210200", "dalian-2025-basic", null, payload), Outbound.deterministic(payload));
  }

  @Test
  void aStoredMessageSurvivesAReopenAndItsOutcomeTakesItOffTheQueue() throws Exception {
    try (Outbound out = Outbound.open(dir)) {
      assertThat(out.put(pending("k1", "S1"))).isEmpty();
      assertThat(out.put(pending("k2", "S2"))).isEmpty();
      assertThat(out.put(pending("k1", "S1"))).get().satisfies(k -> assertThat(k.pending()).isNotNull());
    }
    try (Outbound out = Outbound.open(dir)) {
      assertThat(out.pending()).extracting(Outbound.Pending::key).containsExactly("k1", "k2");
      Outbound.Pending first = out.pending().get(0);
      assertThat(SettlementData.parseFrom(first.payload()).getSettlementId()).isEqualTo("S1");
      assertThat(first.to()).isEqualTo("INSURER-CO-210200");
      assertThat(first.admdvs()).isNull();
      ObjectNode outcome = Json.MAPPER.createObjectNode().put("status", "ACCEPTED").put("messageId", "m1")
          .put("digest", first.digest());
      out.decide("k1", outcome);
    }
    try (Outbound out = Outbound.open(dir)) {
      assertThat(out.pendingCount()).isEqualTo(1);
      Outbound.Known known = out.put(pending("k1", "S1")).orElseThrow();
      assertThat(known.outcome().path("messageId").asText()).isEqualTo("m1");
      assertThat(known.digest()).isEqualTo(pending("k1", "S1").digest());
      assertThat(out.put(pending("k1", "OTHER")).orElseThrow().digest()).isNotEqualTo(pending("k1", "OTHER").digest());
      assertThat(out.known("never")).isEmpty();
    }
  }

  @Test
  void theDigestTellsEveryPartOfTheRequestApart() {
    String base = pending("k", "S1").digest();
    assertThat(pending("other-key", "S1").digest()).as("the key is not part of the request").isEqualTo(base);
    assertThat(pending("k", "S2").digest()).isNotEqualTo(base);
    SettlementData p = SettlementData.newBuilder().setSettlementId("S1").setMedicalFeeTotalFen(100).build();
    assertThat(Outbound.digest(SETTLEMENT, "INSURER-LEAD-210200", "dalian-2025-basic", null, p)).isNotEqualTo(base);
    assertThat(Outbound.digest(SETTLEMENT, "INSURER-CO-210200", "dalian-2025-basic", "210211", p)).isNotEqualTo(base);
    assertThat(Outbound.digest(MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION, "INSURER-CO-210200",
        "dalian-2025-basic", null, p)).isNotEqualTo(base);
  }

  @Test
  void oneAgentPerStateDirectory() throws Exception {
    try (Outbound out = Outbound.open(dir)) {
      assertThatThrownBy(() -> Outbound.open(dir)).isInstanceOf(IOException.class).hasMessageContaining("in use");
    }
  }
}
