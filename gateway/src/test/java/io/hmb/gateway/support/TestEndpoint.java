package io.hmb.gateway.support;

import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.Gateway;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TrustBundle;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A participant's RecipientService over real mTLS (its endpoint certificate; only the gateway's client
 * identity gets in): answers pass-through calls with a function and
 * records pushed deliveries, deduplicating by message_id as a real recipient must, and acknowledges each with
 * a signed acknowledgement. It can be stopped
 * and started again on the same port, to play a participant that goes down and comes back.
 */
public final class TestEndpoint implements AutoCloseable {
  private final TestParty owner;
  private final TrustBundle gatewayCa;
  private final int port;
  private volatile Function<SealedEnvelope, SealedEnvelope> exchange = e -> {
    throw Status.UNIMPLEMENTED.asRuntimeException();
  };
  /** Every delivery received, duplicates included, in arrival order. */
  public final List<String> rawDeliveries = new CopyOnWriteArrayList<>();
  /** Message ids processed once each, in processing order. */
  public final List<String> processed = new CopyOnWriteArrayList<>();
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private volatile boolean unsignedReceipts;
  private volatile TestParty signer;
  private volatile io.hmb.security.tls.TlsIdentity presenting;
  private Server server;

  public TestEndpoint(TestParty owner, Gateway gateway) throws Exception {
    this(owner, gateway.admin().trustBundle());
  }

  public TestEndpoint(TestParty owner, TrustBundle gatewayCa) throws IOException {
    this.owner = owner;
    this.gatewayCa = gatewayCa;
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
  }

  public String address() {
    return "localhost:" + port;
  }

  public void onExchange(Function<SealedEnvelope, SealedEnvelope> handler) {
    this.exchange = handler;
  }

  /** Answer deliveries with a bare receipt (the message id only), as endpoints did before signed acknowledgements. */
  public void unsignedReceipts(boolean on) {
    this.unsignedReceipts = on;
  }

  /** Sign acknowledgements with another party's key (an impostor); null: the owner's. */
  public void receiptsSignedBy(TestParty party) {
    this.signer = party;
  }

  /** Serve with this certificate instead of the owner's endpoint certificate (before {@link #start()}). */
  public TestEndpoint presenting(io.hmb.security.tls.TlsIdentity certificate) {
    this.presenting = certificate;
    return this;
  }

  public synchronized TestEndpoint start() throws Exception {
    server = Grpc.newServerBuilderForPort(port, MutualTls.endpointServer(presenting != null ? presenting : owner.endpointTls(), gatewayCa))
        .addService(new RecipientServiceGrpc.RecipientServiceImplBase() {
          @Override
          public void exchange(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
            try {
              reply.onNext(exchange.apply(request));
              reply.onCompleted();
            } catch (RuntimeException e) {
              reply.onError(e);
            }
          }

          @Override
          public void deliver(Delivery request, StreamObserver<DeliveryReceipt> reply) {
            rawDeliveries.add(request.getMessageId());
            if (seen.add(request.getMessageId())) {
              processed.add(request.getMessageId());
              deliveries.add(request);
            }
            reply.onNext(unsignedReceipts ? DeliveryReceipt.newBuilder().setMessageId(request.getMessageId()).build()
                : (signer != null ? signer : owner).receiptFor(request));
            reply.onCompleted();
          }
        })
        .build()
        .start();
    return this;
  }

  public synchronized void stop() throws InterruptedException {
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
