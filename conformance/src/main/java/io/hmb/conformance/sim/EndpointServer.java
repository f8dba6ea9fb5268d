package io.hmb.conformance.sim;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.hmb.security.tls.MutualTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A participant's RecipientService on its own port over mTLS (its endpoint certificate; only the gateway's
 * client identity gets in), on loopback unless told another address, on a small fixed pool so a burst of
 * calls cannot create a thread each. {@link #close()} stops it. A service wrapped as
 * {@link AcceptsAnyCaCertificate} (a deliberate flaw) is served with CA-only credentials instead.
 */
public final class EndpointServer implements AutoCloseable {
  private static final int THREADS = 4;
  private final Server server;
  private final ExecutorService executor;

  private EndpointServer(Server server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts {@code service} as {@code participant} on loopback, {@code port} (0: a free port). */
  public static EndpointServer start(SimParticipant participant, int port, BindableService service)
      throws IOException, GeneralSecurityException {
    return start(participant, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), service);
  }

  /** Starts {@code service} as {@code participant} on {@code address} (e.g. 0.0.0.0:PORT, every interface). */
  public static EndpointServer start(SimParticipant participant, InetSocketAddress address, BindableService service)
      throws IOException, GeneralSecurityException {
    ExecutorService executor = Executors.newFixedThreadPool(THREADS);
    try {
      ServerCredentials credentials = service instanceof AcceptsAnyCaCertificate
          ? MutualTls.server(participant.endpointTls(), participant.gatewayCa()) : participant.serverCredentials();
      Server server = NettyServerBuilder.forAddress(address, credentials).executor(executor)
          .addService(service).build().start();
      return new EndpointServer(server, executor);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      executor.shutdownNow();
      throw e;
    }
  }

  public int port() {
    return server.getPort();
  }

  /** The address to register with the gateway ({@code ./hmb participants set-endpoint CODE ...}). */
  public String address() {
    return "localhost:" + port();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    executor.shutdownNow();
  }
}
