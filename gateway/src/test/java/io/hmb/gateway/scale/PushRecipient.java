package io.hmb.gateway.scale;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.gateway.support.TestParty;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TrustBundle;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * An insurer's RecipientService over mTLS that takes pushed deliveries from whichever node pushes,
 * records them in the ledger with the node (told by its client certificate) and answers with a
 * receipt, its acknowledgement. A {@link PushHold} can keep one push waiting.
 */
final class PushRecipient implements AutoCloseable {
  private static final Context.Key<X509Certificate> PUSHER = Context.key("hmb-pushing-node");

  private final Server server;
  private volatile PushHold hold;

  PushRecipient(TestParty owner, TrustBundle gatewayCa, DeliveryLedger ledger, NodeCertificates nodes) throws Exception {
    RecipientServiceGrpc.RecipientServiceImplBase service = new RecipientServiceGrpc.RecipientServiceImplBase() {
      @Override
      public void deliver(Delivery request, StreamObserver<DeliveryReceipt> reply) {
        String node = nodes.nameOf(PUSHER.get());
        ledger.record(request, node);
        try {
          PushHold h = hold;
          if (h != null) {
            h.maybeHold(node, request.getMessageId());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          reply.onError(Status.CANCELLED.asRuntimeException());
          return;
        }
        reply.onNext(owner.receiptFor(request));
        reply.onCompleted();
      }
    };
    server = Grpc.newServerBuilderForPort(0, MutualTls.endpointServer(owner.endpointTls(), gatewayCa))
        .addService(ServerInterceptors.intercept(service, new PusherCertificate()))
        .build()
        .start();
  }

  /** Puts the pushing node's client certificate in the call's context. */
  private static final class PusherCertificate implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      try {
        X509Certificate peer = (X509Certificate) session.getPeerCertificates()[0];
        return Contexts.interceptCall(Context.current().withValue(PUSHER, peer), call, headers, next);
      } catch (SSLPeerUnverifiedException e) {
        call.close(Status.UNAUTHENTICATED.withDescription("no client certificate"), new Metadata());
        return new ServerCall.Listener<>() { };
      }
    }
  }

  void hold(PushHold hold) {
    this.hold = hold;
  }

  String address() {
    return "localhost:" + server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
