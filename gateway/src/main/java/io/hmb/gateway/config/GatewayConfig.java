package io.hmb.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the gateway needs to start, with defaults as named constants. Built mutable, checked by
 * {@link #validate()} (every problem collected, then one failure), and sealed when the server starts:
 * a setter after that throws and says what to do instead. Security-relevant settings never fall back to
 * defaults: a bad value refuses to start.
 */
public final class GatewayConfig {

  public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
  public static final int DEFAULT_PORT = 7443;
  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  public static final int DEFAULT_MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;
  public static final Duration DEFAULT_ALLOWED_CLOCK_SKEW = Duration.ofMinutes(5);
  /** Sized for blocking JDBC work per call; pass-through forwarding itself is asynchronous. */
  public static final int DEFAULT_HANDLER_THREADS = 16;
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  public static final int DEFAULT_DB_POOL_SIZE = 10;
  /** Longest deadline a pass-through caller may set; longer or missing deadlines are refused. */
  public static final Duration DEFAULT_MAX_CALL_DEADLINE = Duration.ofSeconds(60);
  /**
   * Time the gateway keeps for itself out of a pass-through caller's deadline, so a recipient that does
   * not answer still gets the caller a RECIPIENT_TIMEOUT: a fraction of the time left, bounded.
   */
  public static final io.hmb.gateway.delivery.ForwardMargin DEFAULT_FORWARD_MARGIN =
      io.hmb.gateway.delivery.ForwardMargin.DEFAULTS;
  public static final double DEFAULT_RATE_LIMIT_PER_SECOND = 2000;
  public static final int DEFAULT_RATE_LIMIT_BURST = 4000;
  public static final int DEFAULT_PUSH_WORKERS = 2;
  /**
   * Subscribe streams one participant may hold open at once on a node. An idle stream still polls its
   * inbox (every {@code pollInterval}): 200 of them from one participant cost about half a core.
   * Streams are for a participant's few consumers (one per process, a spare during a deploy), not one per message.
   */
  public static final int DEFAULT_MAX_SUBSCRIBE_STREAMS = 4;
  /**
   * Pass-through calls one sender may have in flight at once on a node (admitted, awaiting the recipient's
   * answer). 16 calls answered in 50 ms is 320 calls/s; a caller needing more asks the operator.
   * Bounds what one caller holds when its recipient stops answering (48 calls to a black-holed endpoint).
   */
  public static final int DEFAULT_MAX_PASS_THROUGH_PER_SENDER = 16;
  /** Pass-through calls in flight at once to one recipient on a node, from all its callers together. */
  public static final int DEFAULT_MAX_PASS_THROUGH_PER_RECIPIENT = 64;
  /** Prometheus scrape port on the listen address; 0 picks a free one, -1 turns the endpoint off. */
  public static final int DEFAULT_METRICS_PORT = 9464;
  /** The /metrics endpoint's own address, loopback unless an operator binds it to the monitoring network. */
  public static final String DEFAULT_METRICS_ADDRESS = "127.0.0.1";
  /**
   * How often the audit log's root is signed into a checkpoint when it grew: the longest a rewrite of a
   * fresh event can go unanchored, and how long a participant waits to prove its message is logged. One
   * SM2 signature and one appended line of ~200 bytes each time (at most ~3.5 MB a day at 5 s).
   */
  public static final Duration DEFAULT_AUDIT_CHECKPOINT_INTERVAL = Duration.ofSeconds(5);
  /**
   * How often the TLS files are read again for a changed certificate, key or CA bundle: a renewed
   * certificate is served within this time, without a restart. Each look reads a few kilobytes.
   */
  public static final Duration DEFAULT_TLS_RELOAD_INTERVAL = Duration.ofMinutes(1);
  /**
   * The RetryInfo delay of GATEWAY_UNAVAILABLE while the database is unreachable: short, since the
   * database watch looks every second and a restarted PostgreSQL is back within seconds.
   */
  public static final Duration DEFAULT_UNAVAILABLE_RETRY_DELAY = Duration.ofSeconds(1);

  /** The longest one database round trip may take (io.hmb.gateway.db.DatabaseConfig says why). */
  public static final Duration DEFAULT_DB_SOCKET_TIMEOUT = io.hmb.gateway.db.DatabaseConfig.DEFAULT_SOCKET_TIMEOUT;
  public static final String DEFAULT_LOG_FORMAT = "text";
  public static final List<String> LOG_FORMATS = List.of("text", "json");

  private String listenAddress = DEFAULT_LISTEN_ADDRESS;
  /**
   * Host names and IP addresses in the gateway's server certificate; empty: localhost and 127.0.0.1 when the
   * certificate is first made, and whatever the existing one names afterwards (GatewayTls).
   */
  private java.util.List<String> tlsNames = java.util.List.of();
  /** The operator's server certificate chain and key (PEM); null: the development CA's, in dataDir/tls. */
  private Path tlsCertificate;
  private Path tlsPrivateKey;
  /** The operator's client certificate for calls to endpoints, and its key; null: the development CA's. */
  private Path tlsClientCertificate;
  private Path tlsClientPrivateKey;
  /** The CAs of participants' certificates (PEM bundle); null: the development CA (dataDir/tls/ca.crt). */
  private Path tlsParticipantCa;
  private Duration tlsReloadInterval = DEFAULT_TLS_RELOAD_INTERVAL;
  private Duration unavailableRetryDelay = DEFAULT_UNAVAILABLE_RETRY_DELAY;
  private int port = DEFAULT_PORT;
  private Path dataDir = DEFAULT_DATA_DIR;
  private String jdbcUrl;
  private String jdbcUser;
  private String jdbcPassword;
  private String jdbcOwnerUser;
  private String jdbcOwnerPassword;
  private int dbPoolSize = DEFAULT_DB_POOL_SIZE;
  private Duration dbSocketTimeout = DEFAULT_DB_SOCKET_TIMEOUT;
  private int maxEnvelopeBytes = DEFAULT_MAX_ENVELOPE_BYTES;
  private Duration allowedClockSkew = DEFAULT_ALLOWED_CLOCK_SKEW;
  private int handlerThreads = DEFAULT_HANDLER_THREADS;
  private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
  private boolean reflection;
  private Duration maxCallDeadline = DEFAULT_MAX_CALL_DEADLINE;
  private io.hmb.gateway.delivery.ForwardMargin forwardMargin = DEFAULT_FORWARD_MARGIN;
  /**
   * Off by default: every record waits for the disk. On, questions (pass-through without an
   * idempotency key) commit asynchronously: on a 2-core machine 1.3x the peak coverage checks per
   * second and a quarter of the p99 at 70% load (docs/performance.md), at the price that a database crash may lose the last ~0.6 s of
   * question records (the audit of who asked what), never a deduction, settlement or claim.
   */
  private boolean asyncCommitForQuestions = false;
  /**
   * Concurrent admissions and answers share one transaction and one WAL flush (db/GroupCommit); each caller is
   * still answered only after that commit returned. Off: each record commits alone, as before.
   */
  private boolean groupCommit = true;
  /**
   * Off by default, and only for the bench ({@code ./hmb bench --pg-statements}): the embedded PostgreSQL loads
   * pg_stat_statements, which costs a little on every statement. Not read from files or the environment.
   */
  private boolean statementStatistics = false;
  private double rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
  private int rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
  private int pushWorkers = DEFAULT_PUSH_WORKERS;
  private int maxSubscribeStreams = DEFAULT_MAX_SUBSCRIBE_STREAMS;
  private int maxPassThroughPerSender = DEFAULT_MAX_PASS_THROUGH_PER_SENDER;
  private int maxPassThroughPerRecipient = DEFAULT_MAX_PASS_THROUGH_PER_RECIPIENT;
  private int metricsPort = DEFAULT_METRICS_PORT;
  private String metricsAddress = DEFAULT_METRICS_ADDRESS;
  private Duration auditCheckpointInterval = DEFAULT_AUDIT_CHECKPOINT_INTERVAL;
  private boolean deferReadiness;
  /** How log lines are written: {@code text} (time level logger message key=value) or {@code json} (one object a line). */
  private String logFormat = DEFAULT_LOG_FORMAT;
  /** Where OpenTelemetry spans go (OTLP over HTTP); empty: no tracing. */
  private String tracingOtlpEndpoint = "";
  private io.hmb.gateway.delivery.DeliveryPolicy deliveryPolicy = io.hmb.gateway.delivery.DeliveryPolicy.DEFAULTS;
  private volatile boolean sealed;

  /** Problems with the settings, one sentence each; empty when the configuration can start. */
  public List<String> problems() {
    List<String> errors = new ArrayList<>();
    if (port < 0 || port > 65535) {
      errors.add("port must be 0 (any free port) to 65535, was " + port);
    }
    if (listenAddress == null || listenAddress.isBlank()) {
      errors.add("listenAddress is required (e.g. 127.0.0.1, or 0.0.0.0 for every interface)");
    }
    if (tracingOtlpEndpoint == null || !(tracingOtlpEndpoint.isEmpty() || tracingOtlpEndpoint.startsWith("http://")
        || tracingOtlpEndpoint.startsWith("https://"))) {
      errors.add("tracing.otlpEndpoint must be an http:// or https:// URL (e.g. http://127.0.0.1:4318/v1/traces) or "
          + "empty, was " + tracingOtlpEndpoint);
    }
    if (!LOG_FORMATS.contains(logFormat)) {
      errors.add("logFormat must be one of " + String.join(", ", LOG_FORMATS) + ", was " + logFormat);
    }
    if (dataDir == null) {
      errors.add("dataDir is required: it holds the development CA, TLS keys and the embedded database");
    }
    if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      errors.add("jdbcUrl must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), was " + maskedUrl());
    }
    if (jdbcUrl == null && (jdbcUser != null || jdbcPassword != null)) {
      errors.add("jdbcUser and jdbcPassword apply only with jdbcUrl");
    }
    if (jdbcUrl == null && (jdbcOwnerUser != null || jdbcOwnerPassword != null)) {
      errors.add("jdbcOwner applies only with jdbcUrl (the embedded database's owner is its own)");
    }
    if (jdbcOwnerUser != null && jdbcUser == null) {
      errors.add("jdbcOwner needs jdbcUser: the owner migrates, jdbcUser serves and is granted its rights");
    }
    if (dbSocketTimeout.compareTo(Duration.ofSeconds(1)) < 0 || dbSocketTimeout.compareTo(Duration.ofHours(1)) > 0
        || dbSocketTimeout.toMillis() % 1000 != 0) {
      errors.add("dbSocketTimeout must be whole seconds from 1 s to 1 h (the driver counts seconds), was "
          + dbSocketTimeout);
    }
    if (dbPoolSize < 1 || dbPoolSize > 200) {
      errors.add("dbPoolSize must be 1 to 200, was " + dbPoolSize);
    }
    if (maxEnvelopeBytes < 1024 || maxEnvelopeBytes > 64 * 1024 * 1024) {
      errors.add("maxEnvelopeBytes must be 1 KiB to 64 MiB, was " + maxEnvelopeBytes);
    }
    if (allowedClockSkew.isNegative() || allowedClockSkew.compareTo(Duration.ofMinutes(15)) > 0) {
      errors.add("allowedClockSkew must be 0 to 15 minutes, was " + allowedClockSkew);
    }
    if (handlerThreads < 1 || handlerThreads > 1024) {
      errors.add("handlerThreads must be 1 to 1024, was " + handlerThreads);
    }
    if (rateLimitPerSecond <= 0 || rateLimitBurst < 1) {
      errors.add("rateLimitPerSecond must be positive and rateLimitBurst at least 1, were "
          + rateLimitPerSecond + " and " + rateLimitBurst);
    }
    if (maxSubscribeStreams < 1 || maxSubscribeStreams > 1000) {
      errors.add("maxSubscribeStreams must be 1 to 1000, was " + maxSubscribeStreams);
    }
    if (maxPassThroughPerSender < 1 || maxPassThroughPerSender > 100_000
        || maxPassThroughPerRecipient < 1 || maxPassThroughPerRecipient > 100_000) {
      errors.add("maxPassThroughInFlight must be 1 to 100000 per sender and per recipient, were "
          + maxPassThroughPerSender + " and " + maxPassThroughPerRecipient);
    }
    if (metricsPort < -1 || metricsPort > 65535) {
      errors.add("metricsPort must be -1 (off), 0 (any free port) or a port up to 65535, was " + metricsPort);
    }
    if (auditCheckpointInterval.compareTo(Duration.ofMillis(10)) < 0
        || auditCheckpointInterval.compareTo(Duration.ofHours(1)) > 0) {
      errors.add("auditCheckpointInterval must be 10 ms to 1 hour, was " + auditCheckpointInterval);
    }
    if (pushWorkers < 1 || pushWorkers > 64) {
      errors.add("pushWorkers must be 1 to 64, was " + pushWorkers);
    }
    if (deliveryPolicy.maxAttempts() < 1) {
      errors.add("deliveryPolicy.maxAttempts must be at least 1, was " + deliveryPolicy.maxAttempts());
    }
    errors.addAll(forwardMargin.problems(maxCallDeadline));
    for (String name : tlsNames) {
      if (name == null || !name.matches("[A-Za-z0-9.:*-]{1,253}")) {
        errors.add("tlsNames must be host names or IP addresses, was " + (name == null ? "null"
            : "\"" + name.replaceAll("\\p{Cntrl}", "?") + "\""));
      }
    }
    if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
      errors.add("tlsCertificate and tlsPrivateKey go together: give both (the chain and its key) or neither "
          + "(the development CA's certificate)");
    }
    if ((tlsClientCertificate == null) != (tlsClientPrivateKey == null)) {
      errors.add("tlsClientCertificate and tlsClientPrivateKey go together: give both (the chain and its key) or "
          + "neither (the development CA's client certificate)");
    }
    if (tlsCertificate != null && !tlsNames.isEmpty()) {
      errors.add("tlsNames are for the development certificate; with tlsCertificate the names are the ones "
          + "your CA put in it");
    }
    if (tlsReloadInterval.compareTo(Duration.ofMillis(100)) < 0 || tlsReloadInterval.compareTo(Duration.ofHours(1)) > 0) {
      errors.add("tlsReloadInterval must be 100 ms to 1 hour, was " + tlsReloadInterval);
    }
    if (unavailableRetryDelay.compareTo(Duration.ofMillis(100)) < 0
        || unavailableRetryDelay.compareTo(Duration.ofMinutes(1)) > 0) {
      errors.add("unavailableRetryDelay must be 100 ms to 1 minute, was " + unavailableRetryDelay);
    }
    if (shutdownGrace.isNegative()) {
      errors.add("shutdownGrace must not be negative, was " + shutdownGrace);
    }
    return errors;
  }

  /** Fails once with every problem when the settings cannot start. */
  public void validate() {
    List<String> errors = problems();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid gateway configuration: " + String.join("; ", errors));
    }
  }

  /** Validates and freezes the settings; called by the server as it starts. */
  public GatewayConfig seal() {
    validate();
    sealed = true;
    return this;
  }

  /** The effective settings, sorted, with the database password (also inside the URL) masked. */
  public Map<String, String> describe() {
    Map<String, String> out = new TreeMap<>();
    out.put("listenAddress", listenAddress);
    out.put("port", Integer.toString(port));
    out.put("tlsNames", tlsNames.isEmpty() ? "(as in the certificate; localhost,127.0.0.1 when first made)"
        : String.join(",", tlsNames));
    out.put("tlsCertificate", tlsCertificate == null ? "(the development CA's, dataDir/tls/gateway.crt)"
        : tlsCertificate.toAbsolutePath().normalize().toString());
    out.put("tlsPrivateKey", tlsPrivateKey == null ? "(the development CA's, dataDir/tls/gateway.key)"
        : tlsPrivateKey.toAbsolutePath().normalize().toString());
    out.put("tlsClientCertificate", tlsClientCertificate == null
        ? "(the development CA's, dataDir/tls/gateway-client.crt)" : tlsClientCertificate.toAbsolutePath().normalize().toString());
    out.put("tlsClientPrivateKey", tlsClientPrivateKey == null
        ? "(the development CA's, dataDir/tls/gateway-client.key)" : tlsClientPrivateKey.toAbsolutePath().normalize().toString());
    out.put("tlsParticipantCa", tlsParticipantCa == null ? "(the development CA, dataDir/tls/ca.crt)"
        : tlsParticipantCa.toAbsolutePath().normalize().toString());
    out.put("tlsReloadInterval", tlsReloadInterval.toString());
    out.put("unavailableRetryDelay", unavailableRetryDelay.toString());
    out.put("dataDir", String.valueOf(dataDir.toAbsolutePath().normalize()));
    out.put("database", jdbcUrl == null ? "embedded PostgreSQL in dataDir/postgres" : maskedUrl());
    out.put("jdbcUser", jdbcUser == null ? "" : jdbcUser);
    out.put("jdbcPassword", jdbcPassword == null ? "" : "****");
    out.put("jdbcOwner", jdbcOwnerUser == null ? "" : jdbcOwnerUser + (jdbcOwnerPassword == null ? "" : " (password ****)"));
    out.put("dbPoolSize", Integer.toString(dbPoolSize));
    out.put("dbSocketTimeout", dbSocketTimeout.toString());
    out.put("maxEnvelopeBytes", Integer.toString(maxEnvelopeBytes));
    out.put("allowedClockSkew", allowedClockSkew.toString());
    out.put("handlerThreads", Integer.toString(handlerThreads));
    out.put("shutdownGrace", shutdownGrace.toString());
    out.put("reflection", Boolean.toString(reflection));
    out.put("maxCallDeadline", maxCallDeadline.toString());
    out.put("forwardMargin", forwardMargin.toString());
    out.put("asyncCommitForQuestions", Boolean.toString(asyncCommitForQuestions));
    out.put("groupCommit", Boolean.toString(groupCommit));
    out.put("rateLimit", rateLimitPerSecond + "/s burst " + rateLimitBurst);
    out.put("pushWorkers", Integer.toString(pushWorkers));
    out.put("maxSubscribeStreams", Integer.toString(maxSubscribeStreams));
    out.put("maxPassThroughInFlight", maxPassThroughPerSender + " per sender, " + maxPassThroughPerRecipient
        + " per recipient");
    out.put("metricsPort", Integer.toString(metricsPort));
    out.put("metricsAddress", metricsAddress);
    out.put("auditCheckpointInterval", auditCheckpointInterval.toString());
    out.put("logFormat", logFormat);
    out.put("tracing", tracingOtlpEndpoint.isEmpty() ? "off" : "OTLP/HTTP to " + tracingOtlpEndpoint);
    out.put("delivery", deliveryPolicy.toString());
    return out;
  }

  private String maskedUrl() {
    return jdbcUrl == null ? null : jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1****");
  }

  private void checkNotSealed() {
    if (sealed) {
      throw new IllegalStateException(
          "the gateway configuration is sealed once the server starts; stop the server, change the setting and start again");
    }
  }

  public String listenAddress() { return listenAddress; }
  public int port() { return port; }
  public java.util.List<String> tlsNames() { return tlsNames; }
  public Path dataDir() { return dataDir; }
  public Path tlsCertificate() { return tlsCertificate; }
  public Path tlsPrivateKey() { return tlsPrivateKey; }
  public Path tlsClientCertificate() { return tlsClientCertificate; }
  public Path tlsClientPrivateKey() { return tlsClientPrivateKey; }
  public Path tlsParticipantCa() { return tlsParticipantCa; }
  public Duration tlsReloadInterval() { return tlsReloadInterval; }
  public Duration unavailableRetryDelay() { return unavailableRetryDelay; }
  public String jdbcUrl() { return jdbcUrl; }
  public String jdbcUser() { return jdbcUser; }
  public String jdbcPassword() { return jdbcPassword; }
  public String jdbcOwnerUser() { return jdbcOwnerUser; }
  public int dbPoolSize() { return dbPoolSize; }
  public Duration dbSocketTimeout() { return dbSocketTimeout; }
  public int maxEnvelopeBytes() { return maxEnvelopeBytes; }
  public Duration allowedClockSkew() { return allowedClockSkew; }
  public int handlerThreads() { return handlerThreads; }
  public Duration shutdownGrace() { return shutdownGrace; }
  public boolean reflection() { return reflection; }
  public boolean usesEmbeddedDatabase() { return jdbcUrl == null; }

  /** Where the database is, for {@link io.hmb.gateway.db.Database}. */
  public io.hmb.gateway.db.DatabaseConfig database() {
    return new io.hmb.gateway.db.DatabaseConfig(dataDir, jdbcUrl, jdbcUser, jdbcPassword, dbPoolSize, jdbcOwnerUser,
        jdbcOwnerPassword, dbSocketTimeout, statementStatistics);
  }
  public Duration maxCallDeadline() { return maxCallDeadline; }
  public io.hmb.gateway.delivery.ForwardMargin forwardMargin() { return forwardMargin; }
  public boolean asyncCommitForQuestions() { return asyncCommitForQuestions; }
  public boolean groupCommit() { return groupCommit; }
  public boolean statementStatistics() { return statementStatistics; }
  public double rateLimitPerSecond() { return rateLimitPerSecond; }
  public int rateLimitBurst() { return rateLimitBurst; }
  public int pushWorkers() { return pushWorkers; }
  public int maxSubscribeStreams() { return maxSubscribeStreams; }
  public int maxPassThroughPerSender() { return maxPassThroughPerSender; }
  public int maxPassThroughPerRecipient() { return maxPassThroughPerRecipient; }
  public int metricsPort() { return metricsPort; }
  public String metricsAddress() { return metricsAddress; }
  public String logFormat() { return logFormat; }
  public String tracingOtlpEndpoint() { return tracingOtlpEndpoint; }
  public Duration auditCheckpointInterval() { return auditCheckpointInterval; }
  /** True when the caller says when startup is done (Gateway.ready()); health is NOT_SERVING until then. */
  public boolean deferReadiness() { return deferReadiness; }
  public io.hmb.gateway.delivery.DeliveryPolicy deliveryPolicy() { return deliveryPolicy; }

  public GatewayConfig listenAddress(String v) { checkNotSealed(); listenAddress = v; return this; }
  public GatewayConfig port(int v) { checkNotSealed(); port = v; return this; }
  /** Names for the gateway's server certificate (DNS names or IP addresses); see {@link #tlsNames()}. */
  public GatewayConfig tlsNames(java.util.List<String> v) { checkNotSealed(); tlsNames = java.util.List.copyOf(v); return this; }
  /** The server certificate chain (PEM, leaf first), with urn:hmb:gateway; null: the development CA's. */
  public GatewayConfig tlsCertificate(Path v) { checkNotSealed(); tlsCertificate = v; return this; }
  /** The server certificate's private key (PEM: PKCS#8, or PKCS#1/SEC1), not encrypted. */
  public GatewayConfig tlsPrivateKey(Path v) { checkNotSealed(); tlsPrivateKey = v; return this; }
  /** The client certificate chain the gateway presents to endpoints (PEM), with urn:hmb:gateway; null: the development CA's. */
  public GatewayConfig tlsClientCertificate(Path v) { checkNotSealed(); tlsClientCertificate = v; return this; }
  /** The client certificate's private key (PEM), not encrypted. */
  public GatewayConfig tlsClientPrivateKey(Path v) { checkNotSealed(); tlsClientPrivateKey = v; return this; }
  /** The CAs that issue participants' client and endpoint certificates (PEM bundle); null: the development CA. */
  public GatewayConfig tlsParticipantCa(Path v) { checkNotSealed(); tlsParticipantCa = v; return this; }
  public GatewayConfig tlsReloadInterval(Duration v) { checkNotSealed(); tlsReloadInterval = v; return this; }
  public GatewayConfig unavailableRetryDelay(Duration v) { checkNotSealed(); unavailableRetryDelay = v; return this; }
  public GatewayConfig dataDir(Path v) { checkNotSealed(); dataDir = v; return this; }
  public GatewayConfig jdbcUrl(String v) { checkNotSealed(); jdbcUrl = v; return this; }
  public GatewayConfig jdbcUser(String v) { checkNotSealed(); jdbcUser = v; return this; }
  public GatewayConfig jdbcPassword(String v) { checkNotSealed(); jdbcPassword = v; return this; }
  /** The schema owner that runs the migrations on a jdbcUrl server (null: jdbcUser runs them). */
  public GatewayConfig jdbcOwner(String user, String password) {
    checkNotSealed();
    jdbcOwnerUser = user;
    jdbcOwnerPassword = password;
    return this;
  }
  public GatewayConfig dbPoolSize(int v) { checkNotSealed(); dbPoolSize = v; return this; }
  public GatewayConfig dbSocketTimeout(Duration v) { checkNotSealed(); dbSocketTimeout = v; return this; }
  public GatewayConfig maxEnvelopeBytes(int v) { checkNotSealed(); maxEnvelopeBytes = v; return this; }
  public GatewayConfig allowedClockSkew(Duration v) { checkNotSealed(); allowedClockSkew = v; return this; }
  public GatewayConfig handlerThreads(int v) { checkNotSealed(); handlerThreads = v; return this; }
  public GatewayConfig shutdownGrace(Duration v) { checkNotSealed(); shutdownGrace = v; return this; }
  public GatewayConfig reflection(boolean v) { checkNotSealed(); reflection = v; return this; }
  public GatewayConfig maxCallDeadline(Duration v) { checkNotSealed(); maxCallDeadline = v; return this; }
  public GatewayConfig forwardMargin(io.hmb.gateway.delivery.ForwardMargin v) { checkNotSealed(); forwardMargin = v; return this; }
  public GatewayConfig asyncCommitForQuestions(boolean v) { checkNotSealed(); asyncCommitForQuestions = v; return this; }
  public GatewayConfig groupCommit(boolean v) { checkNotSealed(); groupCommit = v; return this; }
  public GatewayConfig statementStatistics(boolean v) { checkNotSealed(); statementStatistics = v; return this; }
  public GatewayConfig rateLimit(double perSecond, int burst) {
    checkNotSealed();
    rateLimitPerSecond = perSecond;
    rateLimitBurst = burst;
    return this;
  }
  public GatewayConfig pushWorkers(int v) { checkNotSealed(); pushWorkers = v; return this; }
  public GatewayConfig maxSubscribeStreams(int v) { checkNotSealed(); maxSubscribeStreams = v; return this; }
  public GatewayConfig maxPassThroughInFlight(int perSender, int perRecipient) {
    checkNotSealed();
    maxPassThroughPerSender = perSender;
    maxPassThroughPerRecipient = perRecipient;
    return this;
  }
  public GatewayConfig metricsPort(int v) { checkNotSealed(); metricsPort = v; return this; }
  public GatewayConfig metricsAddress(String v) { checkNotSealed(); metricsAddress = v; return this; }
  public GatewayConfig logFormat(String v) { checkNotSealed(); logFormat = v; return this; }
  public GatewayConfig tracingOtlpEndpoint(String v) { checkNotSealed(); tracingOtlpEndpoint = v == null ? "" : v; return this; }
  public GatewayConfig auditCheckpointInterval(Duration v) { checkNotSealed(); auditCheckpointInterval = v; return this; }
  public GatewayConfig deferReadiness(boolean v) { checkNotSealed(); deferReadiness = v; return this; }
  public GatewayConfig deliveryPolicy(io.hmb.gateway.delivery.DeliveryPolicy v) { checkNotSealed(); deliveryPolicy = v; return this; }
}
