package io.hmb.gateway;

import io.grpc.BindableService;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.audit.AuditChain;
import io.hmb.gateway.audit.AuditCheckpoints;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.db.Database;
import io.hmb.gateway.db.GroupCommit;
import io.hmb.gateway.db.Transactions;
import io.hmb.gateway.delivery.Forwarder;
import io.hmb.gateway.delivery.InboxService;
import io.hmb.gateway.delivery.DeliveryQueue;
import io.hmb.gateway.delivery.OutboxSignal;
import io.hmb.gateway.delivery.PushWorker;
import io.hmb.gateway.intake.EnvelopeIntake;
import io.hmb.gateway.metrics.CallTracing;
import io.hmb.gateway.metrics.GatewayMetrics;
import io.hmb.gateway.metrics.MetricsEndpoint;
import io.hmb.gateway.metrics.MetricsInterceptor;
import io.hmb.gateway.metrics.TransportLog;
import io.hmb.gateway.pipeline.InFlightLimits;
import io.hmb.gateway.pipeline.MessagePipeline;
import io.hmb.gateway.pipeline.RateLimiter;
import io.hmb.gateway.pipeline.RegistryKeyResolver;
import io.hmb.gateway.registry.KeyPolicy;
import io.hmb.gateway.registry.Registry;
import io.hmb.gateway.registry.RegistryCache;
import io.hmb.gateway.server.GatewayServer;
import io.hmb.gateway.server.RegistryStanding;
import io.hmb.gateway.service.AuditLogServiceImpl;
import io.hmb.gateway.service.DirectoryServiceImpl;
import io.hmb.gateway.service.EnvelopeServices;
import io.hmb.gateway.store.MessageStore;
import io.hmb.gateway.tls.GatewayTls;
import io.hmb.gateway.tls.ServingCertificates;
import io.hmb.gateway.tls.TlsFiles;
import io.hmb.security.EnvelopePolicy;
import io.hmb.security.EnvelopeVerifier;
import io.hmb.security.replay.ReplayGuard;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node: its database, TLS material, message pipeline, delivery workers and gRPC server,
 * started in that order and closed in reverse. {@link #start(GatewayConfig, Clock)} is what
 * {@code ./hmb serve} runs.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  /**
   * The transport reads a message up to this many times the envelope limit, so an oversized envelope
   * reaches intake and is answered PAYLOAD_TOO_LARGE with its ErrorInfo (limit_bytes). Beyond it gRPC
   * refuses the message from its 5-byte length prefix alone, before reading it, with a bare
   * RESOURCE_EXHAUSTED: answering that with an ErrorInfo would mean buffering whatever size a caller
   * declares. (Until Security II the headroom was 64 KiB, so 4 MiB + 64 KiB already got the bare status.)
   */
  static final int TRANSPORT_CEILING_FACTOR = 2;
  private static final long AUDIT_CHAIN_INTERVAL_MS = 250;
  /** How often health asks the database whether it is there. */
  private static final long HEALTH_CHECK_MS = 1000;

  private final GatewayConfig config;
  private final Database database;
  private final ServingCertificates certificates;
  private final RegistryCache registry;
  private final GatewayServer server;
  private final Forwarder forwarder;
  private final List<PushWorker> pushWorkers;
  private final ExecutorService workerThreads;
  private final ExecutorService handlerThreads;
  private final ExecutorService answerThreads;
  private final ScheduledExecutorService inboxThreads;
  private final ScheduledExecutorService auditThread;
  private final ScheduledExecutorService healthThread;
  private final GroupCommit groupCommit;
  private final AuditChain auditChain;
  private final AuditCheckpoints auditCheckpoints;
  private final MetricsEndpoint metricsEndpoint;
  private final GatewayMetrics metrics;
  private final CallTracing tracing;
  private final GatewayAdmin admin;
  /**
   * On SIGTERM, close in order: stop accepting, drain, record what was in flight, then stop the database.
   * (The embedded database registers no hook of its own, which would stop PostgreSQL while calls drain.)
   */
  private final Thread shutdownHook = new Thread(this::closeOnShutdown, "hmb-gateway-shutdown");
  private boolean closed;

  private Gateway(Builder b) {
    this.config = b.config;
    this.database = b.database;
    this.certificates = b.certificates;
    this.registry = b.registry;
    this.server = b.server;
    this.forwarder = b.forwarder;
    this.pushWorkers = b.pushWorkers;
    this.workerThreads = b.workerThreads;
    this.handlerThreads = b.handlerThreads;
    this.answerThreads = b.answerThreads;
    this.inboxThreads = b.inboxThreads;
    this.auditThread = b.auditThread;
    this.healthThread = b.healthThread;
    this.groupCommit = b.groupCommit;
    this.auditChain = b.auditChain;
    this.auditCheckpoints = b.auditCheckpoints;
    this.metricsEndpoint = b.metricsEndpoint;
    this.metrics = b.metrics;
    this.tracing = b.tracing;
    this.admin = b.database == null ? null : new GatewayAdmin(new Transactions(b.database.dataSource()),
        b.registry == null ? () -> {} : b.registry::invalidate, b.config.dataDir(), KeyPolicy.DEFAULT,
        b.clock, null);
  }

  /** The parts as they are built, so a failure half-way can close what was already started. */
  private static final class Builder {
    GatewayConfig config;
    Clock clock;
    Database database;
    GatewayTls tls;
    ServingCertificates certificates;
    RegistryCache registry;
    GatewayServer server;
    Forwarder forwarder;
    List<PushWorker> pushWorkers = new ArrayList<>();
    ExecutorService workerThreads;
    ExecutorService handlerThreads;
    ExecutorService answerThreads;
    ScheduledExecutorService inboxThreads;
    ScheduledExecutorService auditThread;
    ScheduledExecutorService healthThread;
    GroupCommit groupCommit;
    AuditChain auditChain;
    AuditCheckpoints auditCheckpoints;
    GatewayMetrics metrics;
    CallTracing tracing;
    MetricsEndpoint metricsEndpoint;
  }

  public static Gateway start(GatewayConfig config, Clock clock) throws IOException, GeneralSecurityException {
    config.seal();
    TransportLog.install();
    log.info("starting gateway version={} {}", Version.current(), config.describe());
    Builder b = new Builder();
    b.config = config;
    b.clock = clock;
    // The operator's certificate files are checked before anything is started or written.
    ServingCertificates.checkOperatorFiles(config, clock);
    b.database = Database.open(config.database());
    try {
      b.tls = GatewayTls.loadOrCreate(config.dataDir(), config.tlsNames(), clock);
      b.certificates = ServingCertificates.open(TlsFiles.of(config), config.tlsReloadInterval(), clock);
      ServingCertificates certificates = b.certificates;
      Transactions tx = new Transactions(b.database.dataSource());
      b.registry = new RegistryCache(new Registry(tx)::load, clock, RegistryCache.DEFAULT_TTL);
      EnvelopeVerifier verifier = EnvelopeVerifier.builder(new RegistryKeyResolver(b.registry))
          .clock(clock)
          .policy(EnvelopePolicy.builder().maxClockSkew(config.allowedClockSkew())
              .maxEnvelopeBytes(config.maxEnvelopeBytes()).build())
          // Replay is checked by the message table's unique constraints, in the admitting transaction.
          .replayGuard(ReplayGuard.deferredToCaller())
          .build();
      b.answerThreads = Executors.newFixedThreadPool(config.handlerThreads(), new NamedThreads("hmb-answer"));
      b.forwarder = new Forwarder(certificates::toEndpoint, config.forwardMargin(), b.answerThreads);
      OutboxSignal signal = new OutboxSignal();
      DeliveryQueue outbox = new DeliveryQueue(tx);
      if (config.groupCommit()) {
        b.groupCommit = new GroupCommit(b.database.dataSource(), GroupCommit.DEFAULT_MAX_BATCH);
      }
      MessagePipeline pipeline = new MessagePipeline(new EnvelopeIntake(config.maxEnvelopeBytes()), verifier,
          b.registry, new MessageStore(b.groupCommit != null ? b.groupCommit : tx), b.forwarder, signal,
          new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst()),
          new InFlightLimits(config.maxPassThroughPerSender(), config.maxPassThroughPerRecipient()),
          config.maxCallDeadline(),
          config.asyncCommitForQuestions(), clock);

      b.inboxThreads = Executors.newScheduledThreadPool(2, new NamedThreads("hmb-inbox"));
      List<BindableService> services = new ArrayList<>(EnvelopeServices.all(pipeline));
      services.add(new InboxService(outbox, signal, config.deliveryPolicy(), config.maxSubscribeStreams(),
          b.inboxThreads, clock));
      services.add(new DirectoryServiceImpl(b.registry, clock));
      b.auditCheckpoints = AuditCheckpoints.open(config.dataDir(), tx, clock);
      services.add(new AuditLogServiceImpl(tx, b.auditCheckpoints));

      // Bounded: the default cached pool can grow without limit under load.
      b.handlerThreads = Executors.newFixedThreadPool(config.handlerThreads(), new NamedThreads("hmb-handler"));
      NettyServerBuilder builder = NettyServerBuilder
          .forAddress(new InetSocketAddress(InetAddress.getByName(config.listenAddress()), config.port()),
              b.certificates.serverCredentials())
          .executor(b.handlerThreads)
          .maxInboundMessageSize(transportCeiling(config.maxEnvelopeBytes()));
      b.metrics = new GatewayMetrics();
      b.metrics.instrument(b.database.dataSource());
      b.tracing = CallTracing.toOtlp(config.tracingOtlpEndpoint());
      b.server = new GatewayServer(builder, services, config.reflection(), new MetricsInterceptor(b.metrics, b.tracing),
          new RegistryStanding(b.registry, clock), config.unavailableRetryDelay()).start();
      if (config.metricsPort() >= 0) {
        b.metricsEndpoint = new MetricsEndpoint(config.metricsAddress(), config.metricsPort(), b.metrics);
      }

      b.workerThreads = Executors.newFixedThreadPool(config.pushWorkers(), new NamedThreads("hmb-push"));
      for (int i = 0; i < config.pushWorkers(); i++) {
        PushWorker worker = new PushWorker(outbox, b.forwarder, verifier, signal, config.deliveryPolicy(), clock);
        b.pushWorkers.add(worker);
        b.workerThreads.execute(worker);
      }
      b.auditChain = new AuditChain(tx);
      b.auditThread = Executors.newSingleThreadScheduledExecutor(new NamedThreads("hmb-audit"));
      AuditChain chain = b.auditChain;
      b.auditThread.scheduleWithFixedDelay(() -> chainQuietly(chain), AUDIT_CHAIN_INTERVAL_MS,
          AUDIT_CHAIN_INTERVAL_MS, TimeUnit.MILLISECONDS);
      AuditCheckpoints checkpoints = b.auditCheckpoints;
      long checkpointMs = config.auditCheckpointInterval().toMillis();
      b.auditThread.scheduleWithFixedDelay(() -> checkpointQuietly(checkpoints), 0, checkpointMs, TimeUnit.MILLISECONDS);
      GatewayMetrics metrics = b.metrics;
      b.auditThread.scheduleWithFixedDelay(() -> metrics.refreshOutbox(tx), 0, 5, TimeUnit.SECONDS);
      recordStart(b.database, b.server.port());
      // Health tells the truth: NOT_SERVING while the database cannot be reached (checked every second, on a
      // thread of its own: the chainer waiting for a pool connection during a failover must not delay it).
      GatewayServer server = b.server;
      javax.sql.DataSource dataSource = b.database.dataSource();
      b.healthThread = Executors.newSingleThreadScheduledExecutor(new NamedThreads("hmb-health"));
      b.healthThread.scheduleWithFixedDelay(() -> server.databaseReachable(reachable(dataSource)),
          HEALTH_CHECK_MS, HEALTH_CHECK_MS, TimeUnit.MILLISECONDS);
      log.info("gateway listening address={}:{} tls=on mtls=per-call certificate={} participantCa={} dataDir={} "
          + "metrics={}", config.listenAddress(), b.server.port(), b.certificates.files().certificate().path()
          .toAbsolutePath(), b.certificates.files().participantCa().path().toAbsolutePath(),
          config.dataDir().toAbsolutePath(), b.metricsEndpoint == null ? "off"
              : "http://" + config.metricsAddress() + ":" + b.metricsEndpoint.port() + "/metrics");
      Gateway gateway = new Gateway(b);
      if (!config.deferReadiness()) {
        b.server.ready();
      }
      Runtime.getRuntime().addShutdownHook(gateway.shutdownHook);
      return gateway;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      new Gateway(b).closeQuietly();
      throw e;
    }
  }

  /** The largest gRPC message the transport reads: {@link #TRANSPORT_CEILING_FACTOR} × the envelope limit. */
  public static int transportCeiling(int maxEnvelopeBytes) {
    return (int) Math.min(Integer.MAX_VALUE, (long) maxEnvelopeBytes * TRANSPORT_CEILING_FACTOR);
  }

  private static void chainQuietly(AuditChain chain) {
    try {
      while (chain.chainPending().linkedAny()) {
        // keep going until caught up
      }
    } catch (Exception e) {
      log.warn("audit chaining pass failed error={}; the next pass retries", e.toString());
    }
  }

  private static boolean reachable(javax.sql.DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void checkpointQuietly(AuditCheckpoints checkpoints) {
    try {
      checkpoints.checkpoint();
    } catch (Exception e) {
      log.warn("audit checkpoint failed error={}; the next one retries", e.toString());
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

  /**
   * Startup is complete: health says SERVING from now on (while the database is reachable). Called by
   * {@link #start} itself unless {@link GatewayConfig#deferReadiness}, for a caller with more to do first
   * (serve --demo seeds the registry).
   */
  public void ready() {
    server.ready();
  }

  /**
   * The operator's door to this node: participants, keys, products, dead letters, audit. Registry
   * changes made through it take effect on this node at once (its cache is refreshed).
   */
  public GatewayAdmin admin() {
    return admin;
  }

  /** The metrics HTTP port, or -1 when the endpoint is off. */
  public int metricsPort() {
    return metricsEndpoint == null ? -1 : metricsEndpoint.port();
  }

  public void blockUntilShutdown() throws InterruptedException {
    server.blockUntilShutdown();
  }

  /**
   * Graceful: stop accepting, drain in-flight calls within the grace period, stop the delivery
   * workers (a claimed message they did not finish is retried when its lease ends), close the database.
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // this is the hook, or the JVM is already running it
    }
    try {
      if (server != null) {
        server.stop(config.shutdownGrace());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly();
      log.info("gateway stopped");
    }
  }

  private void closeOnShutdown() {
    try {
      close();
    } catch (IOException | RuntimeException e) {
      // stderr: the logger may already be shut down inside a shutdown hook
      System.err.println("hmb: error while stopping the gateway: " + e);
    }
  }

  private void closeQuietly() {
    if (metricsEndpoint != null) {
      metricsEndpoint.close();
    }
    if (certificates != null) {
      certificates.close();
    }
    pushWorkers.forEach(PushWorker::stop);
    shutdown(workerThreads);
    shutdown(inboxThreads);
    shutdown(auditThread);
    shutdown(healthThread);
    shutdown(handlerThreads);
    if (forwarder != null) {
      forwarder.close();
    }
    shutdown(answerThreads);
    if (groupCommit != null) {
      groupCommit.close(); // after the calls drained: commits what they queued
    }
    if (auditChain != null && auditCheckpoints != null) {
      // The last events of this run (the drain's included) are linked and signed before the database stops.
      chainQuietly(auditChain);
      checkpointQuietly(auditCheckpoints);
    }
    try {
      database.close();
    } catch (IOException e) {
      log.warn("closing the database failed error={}", e.toString());
    }
    if (metrics != null) {
      metrics.close();
    }
    if (tracing != null) {
      tracing.close(); // the drained calls' spans go out before the JVM does
    }
  }

  private static void shutdown(ExecutorService executor) {
    if (executor == null) {
      return;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
