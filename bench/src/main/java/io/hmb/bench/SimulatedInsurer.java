package io.hmb.bench;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TrustBundle;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The lead insurer's RecipientService over mTLS on 127.0.0.1: opens each CoverageQuery and seals a
 * CoverageDecision back, as a real insurer backend would (the cryptography is real; the business
 * lookup is a constant). It serves its endpoint certificate and admits only the gateway's identity.
 */
final class SimulatedInsurer implements AutoCloseable {
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "bench-insurer");
    t.setDaemon(true);
    return t;
  });
  private final Server server;

  SimulatedInsurer(Party insurer, io.hmb.security.tls.TlsIdentity endpointTls, Party asker, TrustBundle gatewayCa)
      throws Exception {
    // Its own named threads (like gRPC's default cached pool), so a profile tells its work from the gateway's.
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            MutualTls.endpointServer(endpointTls, gatewayCa))
        .executor(threads)
        .addService(new RecipientServiceGrpc.RecipientServiceImplBase() {
          @Override
          public void exchange(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
            try {
              reply.onNext(Messages.answerCoverage(insurer, asker, request));
              reply.onCompleted();
            } catch (Exception e) {
              reply.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
            }
          }

          @Override
          public void deliver(Delivery request, StreamObserver<DeliveryReceipt> reply) {
            // Not used by the bench (settlements go to the co-insurer's inbox); acknowledge anyway.
            reply.onNext(DeliveryReceipt.newBuilder().setMessageId(request.getMessageId()).build());
            reply.onCompleted();
          }
        })
        .build()
        .start();
  }

  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    threads.shutdownNow();
  }
}
