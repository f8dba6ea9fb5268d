package io.hmb.bench;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Plain grpc-java unary echo over the same TLS as the gateway (a certificate from the same CA, client
 * certificate verified, the same handler pool size), echoing a real sealed coverage query. It is what
 * the transport alone costs on this machine: no signature checks, no database, no second hop.
 */
final class EchoBaseline implements AutoCloseable {
  private static final MethodDescriptor<SealedEnvelope, SealedEnvelope> ECHO =
      MethodDescriptor.<SealedEnvelope, SealedEnvelope>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName("bench.Echo", "Echo"))
          .setRequestMarshaller(ProtoUtils.marshaller(SealedEnvelope.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(SealedEnvelope.getDefaultInstance()))
          .build();

  private final ExecutorService handlers =
      Executors.newFixedThreadPool(GatewayConfig.DEFAULT_HANDLER_THREADS, r -> daemon(r, "bench-echo-handler"));
  private final Server server;
  private final ManagedChannel channel;
  private final SealedEnvelope payload;

  /**
   * An echo server and its client under a CA of their own: the same TLS work as a call to the gateway,
   * with nothing of the gateway in it.
   */
  EchoBaseline(SealedEnvelope payload) throws Exception {
    this.payload = payload;
    DevCertificateAuthority ca = DevCertificateAuthority.create("bench-echo", Clock.systemUTC());
    TrustBundle trust = TrustBundle.of(ca.certificate());
    TlsIdentity client = ca.issueParticipant("BENCH-ECHO-CLIENT", DevCertificateAuthority.DEFAULT_VALIDITY);
    TlsIdentity serverIdentity = ca.issueServer("echo", List.of("localhost"), List.of("127.0.0.1"),
        DevCertificateAuthority.DEFAULT_VALIDITY);
    ServerServiceDefinition echo = ServerServiceDefinition.builder("bench.Echo")
        .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, reply) -> {
          reply.onNext(request);
          reply.onCompleted();
        }))
        .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            MutualTls.serverWithOptionalClientAuth(serverIdentity, trust))
        .executor(handlers)
        .addService(echo)
        .build()
        .start();
    channel = Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(), MutualTls.client(client, trust)).build();
  }

  void call() {
    SealedEnvelope back = ClientCalls.blockingUnaryCall(channel, ECHO,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), payload);
    if (back.getSerializedSize() != payload.getSerializedSize()) {
      throw new IllegalStateException("echo changed the message");
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    handlers.shutdownNow();
  }
}
