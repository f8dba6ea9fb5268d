package io.hmb.client.examples;

import io.hmb.client.ParticipantFiles;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.client.GatewayClient;
import io.hmb.client.RecipientEndpoint;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A lead insurer that answers coverage checks: a RecipientService the gateway calls over mTLS. For the
 * demo every patient is covered; a real insurer looks the person up in its policy system. The gateway
 * must know this endpoint's address (see examples/README.md).
 */
public final class InsurerEndpointExample {
  private final Server server;

  InsurerEndpointExample(Server server) {
    this.server = server;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: InsurerEndpointExample GATEWAY(host:port) DEMO_DIR(data/demo) "
          + "INSURER_CODE(e.g. INSURER-LEAD-210200) LISTEN_PORT(e.g. 7601)");
      System.exit(2);
    }
    ParticipantFiles insurer = ParticipantFiles.load(Path.of(args[1]), args[2]);
    // The directory (senders' keys) is read through the gateway.
    ManagedChannel toGateway = insurer.channel(args[0]);
    // A small fixed pool: the default cached pool can create a thread per call under load.
    ExecutorService executor = Executors.newFixedThreadPool(4);
    try {
      GatewayClient client = GatewayClient.builder(insurer.code()).channel(toGateway)
          .signingKey(insurer.signingKey()).build();
      RecipientEndpoint endpoint = RecipientEndpoint.builder(client)
          .onCoverageQuery((query, ctx) -> CoverageDecision.newBuilder().setCovered(true)
              .setProductCode(ctx.productCode()).setPolicyNumber("DEMO-" + ctx.messageId().substring(0, 8)).build())
          .build();
      Server server = Grpc.newServerBuilderForPort(Integer.parseInt(args[3]), insurer.serverCredentials())
          .executor(executor).addService(endpoint).build().start();
      InsurerEndpointExample example = new InsurerEndpointExample(server);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        System.err.println("shutting down the endpoint"); // stderr: logging may be gone in a hook
        example.stop();
      }));
      System.out.println(insurer.code() + " answers coverage checks on port " + server.getPort());
      example.blockUntilShutdown();
    } finally {
      executor.shutdown();
      Channels.shutdown(toGateway);
    }
  }

  void stop() {
    try {
      if (!server.shutdown().awaitTermination(30, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  void blockUntilShutdown() throws InterruptedException {
    server.awaitTermination();
  }
}
