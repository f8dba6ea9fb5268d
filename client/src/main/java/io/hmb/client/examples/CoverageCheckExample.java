package io.hmb.client.examples;

import io.hmb.client.ParticipantFiles;
import io.grpc.ManagedChannel;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.Person;
import io.hmb.client.Answer;
import io.hmb.client.GatewayClient;
import io.hmb.client.GatewayException;
import io.hmb.client.HospitalClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A hospital asks whether a patient is covered by a city product at admission. The SDK finds the
 * product's lead insurer, seals the query for it, waits for its signed answer and checks that the answer
 * is really the lead's answer to this query.
 */
public final class CoverageCheckExample {
  private CoverageCheckExample() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: CoverageCheckExample GATEWAY(host:port) DEMO_DIR(data/demo) "
          + "HOSPITAL_CODE(e.g. HOSPITAL-210200-01) PRODUCT_CODE(e.g. dalian-2025-upgrade)");
      System.exit(2);
    }
    ParticipantFiles hospital = ParticipantFiles.load(Path.of(args[1]), args[2]);
    ManagedChannel channel = hospital.channel(args[0]);
    try {
      GatewayClient client = GatewayClient.builder(hospital.code()).channel(channel)
          .signingKey(hospital.signingKey()).build();
      // A made-up patient; real identity numbers never go into logs or headers.
      CoverageQuery query = CoverageQuery.newBuilder()
          .setPerson(Person.newBuilder().setCertType("01").setCertNumber("210202198001011234").setName("张三"))
          .setMoment(CoverageQuery.Moment.MOMENT_ADMISSION).build();

      System.out.println("asking the lead insurer of " + args[3] + " (expected to work when it runs an endpoint)");
      Answer<CoverageDecision> answer = new HospitalClient(client).withDeadline(Duration.ofSeconds(5))
          .checkCoverage(args[3], query);
      CoverageDecision d = answer.payload();
      System.out.println("covered=" + d.getCovered() + " product=" + d.getProductCode() + " policy="
          + d.getPolicyNumber() + " answered by " + answer.sender() + " (" + answer.messageId() + ")");
    } catch (GatewayException e) {
      // e.g. RECIPIENT_UNAVAILABLE when the lead insurer has no endpoint registered with the gateway.
      System.err.println("failed: " + e.reason().map(Enum::name).orElse(e.status().getCode().name())
          + " retryable=" + e.retryable() + "\n  " + e.getMessage());
      System.exit(1);
    } finally {
      Channels.shutdown(channel);
    }
  }
}
