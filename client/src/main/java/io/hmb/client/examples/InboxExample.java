package io.hmb.client.examples;

import io.hmb.client.ParticipantFiles;
import io.grpc.ManagedChannel;
import io.hmb.client.GatewayClient;
import io.hmb.client.InboxSubscriber;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * An insurer behind a firewall pulls its settlement data from the gateway's inbox until Ctrl-C. Each
 * message is opened and verified, printed (amounts only, never the person), and acknowledged after the
 * handler returns.
 */
public final class InboxExample {
  private InboxExample() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: InboxExample GATEWAY(host:port) DEMO_DIR(data/demo) "
          + "INSURER_CODE(e.g. INSURER-LEAD-210200)");
      System.exit(2);
    }
    ParticipantFiles insurer = ParticipantFiles.load(Path.of(args[1]), args[2]);
    ManagedChannel channel = insurer.channel(args[0]);
    CountDownLatch stop = new CountDownLatch(1);
    try {
      GatewayClient client = GatewayClient.builder(insurer.code()).channel(channel)
          .signingKey(insurer.signingKey()).build();
      InboxSubscriber inbox = InboxSubscriber.builder(client)
          // Production: record the message and its message_id in one transaction (durable dedup).
          .onSettlementData((s, ctx) -> System.out.println("settlement " + s.getSettlementId() + " from "
              + ctx.sender() + " total=" + s.getMedicalFeeTotalFen() + " fen (attempt " + ctx.attempt() + ")"))
          .onSettlementCancellation((c, ctx) -> System.out.println("cancelled settlement " + c.getSettlementId()))
          .build();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        // stderr: the logging system may already be shut down in a hook.
        System.err.println("stopping the inbox subscriber");
        inbox.close();
        stop.countDown();
      }));
      inbox.start();
      System.out.println("pulling the inbox of " + insurer.code() + "; Ctrl-C to stop");
      stop.await();
    } finally {
      Channels.shutdown(channel);
    }
  }
}
