package io.hmb.gateway;

import io.grpc.BindableService;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.db.Database;
import io.hmb.gateway.intake.EnvelopeIntake;
import io.hmb.gateway.server.GatewayServer;
import io.hmb.gateway.service.EnvelopeServices;
import io.hmb.gateway.service.IntakeOnlyHandler;
import io.hmb.gateway.service.UnimplementedServices;
import io.hmb.gateway.tls.GatewayTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node: its database, its TLS material and its gRPC server, started in that order and
 * closed in reverse. {@link #start(GatewayConfig, Clock)} is what {@code ./hmb serve} runs.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  /** Headroom above the envelope limit so an oversized envelope reaches intake and gets PAYLOAD_TOO_LARGE. */
  private static final int TRANSPORT_HEADROOM_BYTES = 64 * 1024;

  private final GatewayConfig config;
  private final Database database;
  private final GatewayTls tls;
  private final GatewayServer server;
  private final ExecutorService executor;

  private Gateway(GatewayConfig config, Database database, GatewayTls tls, GatewayServer server,
      ExecutorService executor) {
    this.config = config;
    this.database = database;
    this.tls = tls;
    this.server = server;
    this.executor = executor;
  }

  public static Gateway start(GatewayConfig config, Clock clock) throws IOException, GeneralSecurityException {
    config.seal();
    log.info("starting gateway version={} {}", Version.current(), config.describe());
    Database database = Database.open(config);
    ExecutorService executor = null;
    try {
      GatewayTls tls = GatewayTls.loadOrCreate(config.dataDir(), clock);
      // Bounded: the default cached pool can grow without limit under load.
      executor = Executors.newFixedThreadPool(config.handlerThreads(), new NamedThreads("hmb-handler"));
      NettyServerBuilder builder = NettyServerBuilder
          .forAddress(new InetSocketAddress(InetAddress.getByName(config.listenAddress()), config.port()),
              tls.serverCredentials())
          .executor(executor)
          .maxInboundMessageSize(config.maxEnvelopeBytes() + TRANSPORT_HEADROOM_BYTES);
      List<BindableService> services = new ArrayList<>(
          EnvelopeServices.all(new IntakeOnlyHandler(new EnvelopeIntake(config.maxEnvelopeBytes()))));
      services.addAll(UnimplementedServices.all());
      GatewayServer server = new GatewayServer(builder, services, config.reflection()).start();
      recordStart(database, server.port());
      log.info("gateway listening address={}:{} tls=on mtls=per-call trustBundle={} dataDir={}",
          config.listenAddress(), server.port(), tls.directory().resolve("ca.crt").toAbsolutePath(),
          config.dataDir().toAbsolutePath());
      return new Gateway(config, database, tls, server, executor);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      if (executor != null) {
        executor.shutdownNow();
      }
      database.close();
      throw e;
    }
  }

  private static void recordStart(Database database, int port) {
    try (Connection c = database.dataSource().getConnection();
         PreparedStatement s = c.prepareStatement("INSERT INTO gateway_start(node, version) VALUES (?, ?)")) {
      s.setString(1, InetAddress.getLoopbackAddress().getHostName() + ":" + port);
      s.setString(2, Version.current());
      s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("the database refused the start record: " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.port();
  }

  public Database database() {
    return database;
  }

  /** Where the development CA lives (ca.crt is what clients trust). */
  public Path tlsDirectory() {
    return tls.directory();
  }

  public GatewayTls tls() {
    return tls;
  }

  public void blockUntilShutdown() throws InterruptedException {
    server.blockUntilShutdown();
  }

  /** Graceful: stop accepting, drain in-flight calls within the grace period, then close the database. */
  @Override
  public void close() throws IOException {
    try {
      server.stop(config.shutdownGrace());
      executor.shutdown();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      database.close();
      log.info("gateway stopped");
    }
  }
}
