package io.hmb.client.examples;

import io.hmb.client.ParticipantFiles;
import io.grpc.ManagedChannel;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.CareType;
import io.hmb.api.v1.SettlementData;
import io.hmb.client.BureauClient;
import io.hmb.client.GatewayClient;
import io.hmb.client.GatewayException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A bureau sends one settlement result to a product's lead insurer, store-and-forward: the gateway
 * accepts it durably and delivers it when the insurer takes it (see InboxExample). The idempotency key
 * is derived from the settlement id, so running this twice with the same id is one operation: the second
 * run prints replayed=true.
 */
public final class SettlementExample {
  private SettlementExample() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: SettlementExample GATEWAY(host:port) DEMO_DIR(data/demo) "
          + "BUREAU_CODE(e.g. BUREAU-210200) PRODUCT_CODE(e.g. dalian-2025-upgrade) SETTLEMENT_ID(e.g. S-0001)");
      System.exit(2);
    }
    ParticipantFiles bureau = ParticipantFiles.load(Path.of(args[1]), args[2]);
    ManagedChannel channel = bureau.channel(args[0]);
    try {
      GatewayClient client = GatewayClient.builder(bureau.code()).channel(channel)
          .signingKey(bureau.signingKey()).build();
      SettlementData data = SettlementData.newBuilder().setSettlementId(args[4]).setVisitId("V-" + args[4])
          .setCareType(CareType.CARE_TYPE_INPATIENT).setMedicalFeeTotalFen(8_000_000).setFullOwnpayFen(2_500_000)
          .build();
      // In production: generate the key when the settlement is recorded and store it with it.
      String idempotencyKey = "setl-" + args[4];
      Acceptance a = new BureauClient(client).withDeadline(Duration.ofSeconds(5))
          .submitSettlement(args[3], idempotencyKey, data);
      System.out.println("accepted message " + a.getMessageId() + " replayed=" + a.getReplayed());
    } catch (GatewayException e) {
      System.err.println("failed: " + e.getMessage());
      System.exit(1);
    } finally {
      Channels.shutdown(channel);
    }
  }
}
