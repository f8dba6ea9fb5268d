package io.hmb.gateway.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server with an explicit lifecycle: {@link #start()}, {@link #stop(Duration)} (stop
 * accepting, let in-flight calls finish within the grace period, then force) and
 * {@link #blockUntilShutdown()}. It takes a ServerBuilder so tests can pass an in-process one and
 * production a Netty one with TLS.
 */
public final class GatewayServer {
  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private final List<String> serviceNames = new java.util.ArrayList<>();
  private volatile boolean ready;
  private volatile boolean databaseUp = true;
  private final DatabaseGate databaseGate;

  /**
   * @param unavailableRetryDelay the RetryInfo delay of the GATEWAY_UNAVAILABLE every hmb.v1 call gets while
   *     the database is unreachable ({@link DatabaseGate})
   */
  public GatewayServer(ServerBuilder<?> builder, List<BindableService> services, boolean reflection,
      ServerInterceptor outermost, PeerAuthentication.Standing standing, Duration unavailableRetryDelay) {
    PeerAuthentication authentication = new PeerAuthentication(standing);
    databaseGate = new DatabaseGate(unavailableRetryDelay);
    for (BindableService service : services) {
      // The last interceptor listed runs first: the gate before authentication, whose standing check may
      // need the database too.
      builder.addService(ServerInterceptors.intercept(service, authentication, databaseGate, outermost));
      serviceNames.add(service.bindService().getServiceDescriptor().getName());
    }
    builder.addService(health.getHealthService());
    if (reflection) {
      builder.addService(ProtoReflectionServiceV1.newInstance());
    }
    this.server = builder.build();
  }

  /** Starts listening, NOT_SERVING (health, for "" and each service) until {@link #ready} says otherwise. */
  public GatewayServer start() throws IOException {
    publish();
    server.start();
    return this;
  }

  /** Startup is done (the database migrated, any seeding finished): health may say SERVING. */
  public void ready() {
    ready = true;
    publish();
  }

  /**
   * What the database watch saw: health is NOT_SERVING, and every hmb.v1 call is refused
   * GATEWAY_UNAVAILABLE, while the database is unreachable.
   */
  public void databaseReachable(boolean up) {
    databaseGate.databaseReachable(up);
    if (databaseUp != up) {
      databaseUp = up;
      log.warn(up ? "database reachable again: health SERVING" : "database unreachable: health NOT_SERVING");
      publish();
    }
  }

  private synchronized void publish() {
    ServingStatus status = ready && databaseUp ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.setStatus("", status);
    for (String name : serviceNames) {
      health.setStatus(name, status);
    }
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.getPort();
  }

  public void stop(Duration grace) throws InterruptedException {
    health.enterTerminalState(); // load balancers see NOT_SERVING while we drain
    server.shutdown();
    if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("in-flight calls did not finish within {}; cancelling them", grace);
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  public void blockUntilShutdown() throws InterruptedException {
    server.awaitTermination();
  }
}
