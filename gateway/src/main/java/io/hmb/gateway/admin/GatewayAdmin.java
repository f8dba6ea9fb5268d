package io.hmb.gateway.admin;

import io.hmb.api.ParticipantCode;
import io.hmb.gateway.audit.AuditChain;
import io.hmb.gateway.audit.AuditLogFiles;
import io.hmb.gateway.audit.AuditVerification;
import io.hmb.gateway.audit.AuditVerifier;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.db.Database;
import io.hmb.gateway.db.Transactions;
import io.hmb.gateway.delivery.DeliveryQueue;
import io.hmb.gateway.registry.KeyPolicy;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.ParticipantKey;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.registry.Registry;
import io.hmb.gateway.registry.RegistrySnapshot;
import io.hmb.gateway.tls.GatewayTls;
import io.hmb.security.PublicKeyHandle;
import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one door for operating a gateway: participants and their keys (with the {@link KeyPolicy}),
 * products, TLS credentials from the gateway's CA, dead letters and redrive, audit verification and
 * message counts. The CLI, the demo, the bench and tests all come through here.
 *
 * <p>Two ways to get one: {@link io.hmb.gateway.Gateway#admin()} for a gateway running in this process
 * (changes take effect on this node at once, on other nodes within the registry cache's refresh), and
 * {@link #open(GatewayConfig, Clock)} for an operator command, which connects to the gateway's database
 * (the running gateway's embedded PostgreSQL if it runs) and closes it again in {@link #close()}.
 */
public final class GatewayAdmin implements AutoCloseable {
  /** How long {@link #verifyAudit()} waits for the chain to catch up with the committed events. */
  public static final Duration AUDIT_CATCH_UP = Duration.ofSeconds(30);
  private static final List<String> DURABILITY_SETTINGS =
      List.of("server_version", "fsync", "synchronous_commit", "wal_sync_method", "shared_buffers");
  private final Transactions tx;
  private final Registry registry;
  private final Runnable afterRegistryChange;
  private final DeliveryQueue deliveryQueue;
  private final AuditChain auditChain;
  private final MessageCounts messageCounts;
  private final Path dataDir;
  private final Path tlsDirectory;
  /** Loaded on the first certificate issued through this door, never by serving. */
  private DevCertificateAuthority authority;
  private final KeyPolicy keyPolicy;
  private final Clock clock;
  private final AutoCloseable owned;

  /** For {@link io.hmb.gateway.Gateway}: an admin over its database that refreshes its registry cache. */
  public GatewayAdmin(Transactions tx, Runnable afterRegistryChange, Path dataDir, KeyPolicy keyPolicy, Clock clock,
      AutoCloseable owned) {
    this.tx = tx;
    this.registry = new Registry(tx);
    this.afterRegistryChange = afterRegistryChange;
    this.deliveryQueue = new DeliveryQueue(tx);
    this.auditChain = new AuditChain(tx);
    this.messageCounts = new MessageCounts(tx);
    this.dataDir = dataDir;
    this.tlsDirectory = dataDir.resolve("tls");
    this.keyPolicy = keyPolicy;
    this.clock = clock;
    this.owned = owned;
  }

  /** For an operator command: the gateway's database as {@code config} names it; closed by {@link #close()}. */
  public static GatewayAdmin open(GatewayConfig config, Clock clock) throws IOException {
    requireInitialised(config.dataDir());
    Database database = Database.openForAdmin(config.database());
    return new GatewayAdmin(new Transactions(database.dataSource()), () -> {}, config.dataDir(),
        KeyPolicy.DEFAULT, clock, database);
  }

  /**
   * Only {@code serve} makes a data directory; an operator command on a mistyped one would otherwise start
   * a fresh empty database (and "verify" it) or make a new CA.
   */
  public static void requireInitialised(Path dataDir) {
    if (!Files.isRegularFile(dataDir.resolve("tls").resolve("ca.crt"))) {
      throw new NotAGatewayDirectoryException(dataDir);
    }
  }

  /** An operator command pointed at a directory {@code serve} never initialised. */
  public static final class NotAGatewayDirectoryException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotAGatewayDirectoryException(Path dataDir) {
      super(dataDir.toAbsolutePath() + " is not a gateway data directory (it has no tls/ca.crt): pass the --data-dir "
          + "the gateway was started with, or start it once there with ./hmb serve --data-dir");
    }
  }

  // ---- registry: reads ----

  /** The registry as it is in the database now (not the node's cached snapshot). */
  public RegistrySnapshot registry() throws SQLException {
    return registry.load();
  }

  // ---- participants and keys ----

  /** Registers a participant with its primary key, live for the {@link KeyPolicy}'s validity. */
  public ParticipantKey addParticipant(Participant participant, PublicKeyHandle key) throws SQLException {
    ParticipantCode.require(participant.code());
    registry.addParticipant(participant);
    return addKey(participant.code(), key, true);
  }

  /** Adds a key; a primary one takes over sealing, earlier keys keep verifying until they end. */
  public ParticipantKey addKey(String code, PublicKeyHandle key, boolean primary) throws SQLException {
    Instant now = clock.instant();
    ParticipantKey k = new ParticipantKey(code, key.keyId(), key.suite(), key.toSpkiDer(), keyPolicy.notBefore(now),
        keyPolicy.notAfter(now), ParticipantKey.Status.ENABLED, primary);
    registry.addKey(k);
    afterRegistryChange.run();
    return k;
  }

  /** The outcome of a rotation: the new primary key, and when the previous keys stop verifying. */
  public record KeyRotation(ParticipantKey newKey, Instant previousKeysEnd) {}

  /** Adds a new primary key and ends every earlier key of the participant after {@code overlap}. */
  public KeyRotation rotateKey(String code, PublicKeyHandle key, Duration overlap) throws SQLException {
    List<ParticipantKey> before = registry.load().keys(code);
    ParticipantKey added = addKey(code, key, true);
    Instant end = clock.instant().plus(overlap);
    for (ParticipantKey old : before) {
      registry.limitKey(code, old.keyId(), end);
    }
    afterRegistryChange.run();
    return new KeyRotation(added, end);
  }

  /** Revokes a key at once; {@link Registry.RegistryException} if the participant has no such key. */
  public void revokeKey(String code, String keyId) throws SQLException {
    registry.revokeKey(code, keyId);
    afterRegistryChange.run();
  }

  public void setStatus(String code, Participant.Status status) throws SQLException {
    registry.setStatus(code, status);
    afterRegistryChange.run();
  }

  /** Where the gateway calls the participant (host:port), or empty for inbox delivery only. */
  public void setEndpoint(String code, Optional<String> endpoint) throws SQLException {
    registry.setEndpoint(code, endpoint.orElse(null));
    afterRegistryChange.run();
  }

  /** The participant's own rate limit, or empty to return it to the gateway's default. */
  public void setRateLimit(String code, Optional<Participant.RateLimit> limit) throws SQLException {
    registry.setRateLimit(code, limit.orElse(null));
    afterRegistryChange.run();
  }

  // ---- products ----

  public void addProduct(Product product) throws SQLException {
    registry.addProduct(product);
    afterRegistryChange.run();
  }

  // ---- TLS credentials ----

  /**
   * A participant's TLS client certificate for {@code code} ({@code CertificateProfile.PARTICIPANT_CLIENT}:
   * clientAuth only, no host names), issued by the gateway's CA. The code must be a valid participant
   * code and not {@link GatewayTls#CLIENT_PARTICIPANT_CODE}; whether it is registered is the caller's
   * business (a conformance fixture is deliberately not).
   */
  public TlsIdentity issueTlsIdentity(String code) throws IOException, GeneralSecurityException {
    return authority().issueParticipant(requireParticipantCode(code), DevCertificateAuthority.DEFAULT_VALIDITY);
  }

  /**
   * A participant's endpoint certificate ({@code CertificateProfile.ENDPOINT_SERVER}: serverAuth only, the
   * participant's identity and {@code names}, the host names or IP addresses the gateway dials; empty:
   * localhost and 127.0.0.1). The gateway pushes and forwards to {@code code} only over such a certificate.
   */
  public TlsIdentity issueEndpointIdentity(String code, List<String> names) throws IOException, GeneralSecurityException {
    return authority().issueEndpoint(requireParticipantCode(code),
        names.isEmpty() ? DevCertificateAuthority.LOCAL_NAMES : names, DevCertificateAuthority.DEFAULT_VALIDITY);
  }

  /**
   * A client certificate with the gateway's identity, for the endpoint-mode conformance suite to play the
   * gateway against a participant's endpoint. Only {@code serve --demo} writes one (docs/security.md,
   * Certificate profiles): whoever holds it can call every endpoint that trusts this CA.
   */
  public TlsIdentity issueGatewayClientIdentityForConformance() throws IOException, GeneralSecurityException {
    return authority().issueGatewayClient(DevCertificateAuthority.DEFAULT_VALIDITY);
  }

  private static String requireParticipantCode(String code) {
    ParticipantCode.require(code);
    if (code.equals(GatewayTls.CLIENT_PARTICIPANT_CODE)) {
      throw new IllegalArgumentException(code + " is the gateway's own identity; no participant may hold it");
    }
    return code;
  }

  private synchronized DevCertificateAuthority authority() throws IOException, GeneralSecurityException {
    if (authority == null) {
      authority = GatewayTls.certificateAuthority(tlsDirectory, clock);
    }
    return authority;
  }

  /** What a client trusts to reach this gateway. */
  public TrustBundle trustBundle() throws IOException, GeneralSecurityException {
    return TrustBundle.load(trustBundleFile());
  }

  /** The trust bundle's file ({@code ca.crt}), for handing to participants. */
  public Path trustBundleFile() {
    return tlsDirectory.resolve("ca.crt");
  }

  // ---- delivery: dead letters ----

  public List<DeliveryQueue.DeadLetter> deadLetters(int limit) throws SQLException {
    return deliveryQueue.deadLetters(limit);
  }

  /** Puts one dead-lettered message back in the queue with fresh attempts; 0 if it is not dead-lettered. */
  public int redrive(String messageId) throws SQLException {
    return deliveryQueue.redrive(messageId, clock.instant());
  }

  /** Puts every dead-lettered message back in the queue; how many. */
  public int redriveAll() throws SQLException {
    return deliveryQueue.redrive(null, clock.instant());
  }

  // ---- audit and counts ----

  /**
   * Links what is not chained yet, so the check covers every committed event (waiting up to
   * {@link #AUDIT_CATCH_UP} for a pass another node holds), then recomputes the chain and the Merkle log
   * and checks the log against every checkpoint this node signed (its {@code audit/} directory). What
   * could not be linked in that time shows as {@link AuditVerification#unchainedEvents()}.
   */
  public AuditVerification verifyAudit() throws SQLException, IOException {
    try {
      auditChain.catchUp(AUDIT_CATCH_UP);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return AuditVerifier.verify(auditChain, tx, dataDir);
  }

  /** The file participants pin to check this log's checkpoints (made on the node's first start). */
  public Path auditLogPublicKeyFile() {
    return AuditLogFiles.publicKeyFile(dataDir);
  }

  /** A message's audit events (ACCEPTED, FORWARDED, ...), oldest first: what happened to it. */
  public List<String> auditEvents(String messageId) throws SQLException {
    return messageCounts.auditEvents(messageId);
  }

  /** Where the message table stands now, to count only what comes after. */
  public MessageCounts.Mark messageMark() throws SQLException {
    return messageCounts.mark();
  }

  /** Messages recorded after {@code since}, by city (admdvs). */
  public Map<String, MessageCounts.Counts> messagesByCity(MessageCounts.Mark since) throws SQLException {
    return messageCounts.byCity(since);
  }

  /**
   * PostgreSQL's counts of rows written per table and the WAL position, including everything committed
   * before the call: first links the audit events not chained yet (the chainer's writes belong to the
   * messages that made them), then waits, at most {@code within}, for the counters to include every
   * backend's work ({@link TableWrites#settled}). For the bench's writes per message, on a gateway at rest.
   */
  public TableWrites tableWrites(Duration within) throws SQLException, InterruptedException {
    auditChain.catchUp(within);
    return TableWrites.settled(tx, within);
  }

  /**
   * The statements the serving role has run, with their calls and times, once the audit chain has linked every
   * committed event (so the chainer's statements for them are in): two of these around a known number of
   * messages give the statements per message. Empty, with the reason, unless the embedded database was started
   * with pg_stat_statements ({@link GatewayConfig#statementStatistics}).
   */
  public StatementTimes statementTimes(Duration within) throws SQLException, InterruptedException {
    auditChain.catchUp(within);
    return StatementTimes.read(tx);
  }

  /** The database settings that decide what "durable" means here (fsync, synchronous_commit), by name. */
  public Map<String, String> databaseSettings() throws SQLException {
    return DatabaseSettings.read(tx, DURABILITY_SETTINGS);
  }

  @Override
  public void close() throws Exception {
    if (owned != null) {
      owned.close();
    }
  }
}
