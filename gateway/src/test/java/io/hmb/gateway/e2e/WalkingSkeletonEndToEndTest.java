package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.hmb.api.Errors;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server: Netty with TLS on a random port, embedded PostgreSQL with Flyway, a client with a
 * participant certificate from the gateway's development CA.
 */
class WalkingSkeletonEndToEndTest {
  @TempDir static Path dataDir;
  static Gateway gateway;
  static DatabaseConsole sql;
  static ManagedChannel bureau;
  static ManagedChannel unregistered;
  static ManagedChannel anonymous;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(0).dataDir(dataDir).maxEnvelopeBytes(64 * 1024),
        Clock.systemUTC());
    sql = DatabaseConsole.of(dataDir);
    TlsIdentity bureauCert = gateway.admin().issueTlsIdentity("BUREAU-210200");
    // Registered, so that its envelopes reach the checks below (every call of an unregistered one is refused first).
    gateway.admin().addParticipant(new io.hmb.gateway.registry.Participant("BUREAU-210200", io.hmb.api.v1.Role.ROLE_BUREAU,
        "210200", "Dalian bureau (test)", io.hmb.gateway.registry.Participant.Status.ACTIVE, java.util.Optional.empty()),
        io.hmb.security.PrivateKeyHandle.generate(io.hmb.api.v1.CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3).publicKey());
    bureau = Grpc.newChannelBuilder("localhost:" + gateway.port(),
        MutualTls.toGateway(bureauCert, gateway.admin().trustBundle())).build();
    unregistered = Grpc.newChannelBuilder("localhost:" + gateway.port(), MutualTls.toGateway(
        gateway.admin().issueTlsIdentity("BUREAU-620600"), gateway.admin().trustBundle())).build();
    anonymous = Grpc.newChannelBuilder("localhost:" + gateway.port(),
        MutualTls.anonymousToGateway(gateway.admin().trustBundle())).build();
  }

  @AfterAll
  static void stop() throws Exception {
    bureau.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    unregistered.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    anonymous.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    sql.close();
    gateway.close();
  }

  @Test
  void healthCheckOverTlsAnswersServingWithoutAClientCertificate() {
    var response = HealthGrpc.newBlockingStub(anonymous).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());
    assertThat(response.getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void aSecondStartOnTheSameDataDirectoryKeepsDataAndKeys(@TempDir Path otherDir) throws Exception {
    GatewayConfig config = new GatewayConfig().port(0).metricsPort(-1).dataDir(otherDir);
    byte[] ca;
    try (Gateway first = Gateway.start(config, Clock.systemUTC())) {
      ca = java.nio.file.Files.readAllBytes(first.admin().trustBundleFile());
    }
    try (Gateway second = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(otherDir), Clock.systemUTC());
         DatabaseConsole secondSql = DatabaseConsole.of(otherDir);
         Connection c = secondSql.connect();
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM gateway_start")) {
      assertThat(java.nio.file.Files.readAllBytes(second.admin().trustBundleFile())).isEqualTo(ca);
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
  }

  @Test
  void embeddedPostgresCommitsDurably() throws Exception {
    try (Connection c = sql.connect()) {
      for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
        try (ResultSet rs = c.createStatement().executeQuery("SHOW " + setting)) {
          rs.next();
          assertThat(rs.getString(1)).as(setting).isEqualTo("on");
        }
      }
    }
  }

  @Test
  void embeddedPostgresCreatesWalSegmentsWithoutStallingCommits() throws Exception {
    try (Connection c = sql.connect(); ResultSet rs = c.createStatement().executeQuery("SHOW wal_init_zero")) {
      rs.next();
      assertThat(rs.getString(1)).as("zero-filling a new segment holds every commit (EmbeddedDatabase)").isEqualTo("off");
    }
  }

  @Test
  void gatewayStartIsRecordedInPostgres() throws Exception {
    try (Connection c = sql.connect();
         ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM gateway_start")) {
      rs.next();
      assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void envelopeCallWithoutClientCertificateIsUnauthenticated() {
    assertThatThrownBy(() -> coverage(anonymous).checkCoverage(wellFormed().build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void garbageHeaderIsMalformedEnvelope() {
    SealedEnvelope envelope = wellFormed().setHeader(ByteString.copyFromUtf8("\u00ff\u00ffnot a header")).build();
    expect(envelope, ErrorReason.MALFORMED_ENVELOPE, null);
  }

  @Test
  void missingSenderNamesTheField() throws Exception {
    SealedEnvelope sealed = sealedByUnregisteredSender();
    EnvelopeHeader withoutSender = EnvelopeHeader.parseFrom(sealed.getHeader()).toBuilder().clearSender().build();
    expect(sealed.toBuilder().setHeader(withoutSender.toByteString()).build(), ErrorReason.MISSING_HEADER_FIELD, "sender");
  }

  @Test
  void unknownMessageTypeIsRejected() {
    SealedEnvelope envelope = wellFormed()
        .setHeader(header().setMessageTypeValue(999).build().toByteString()).build();
    expect(envelope, ErrorReason.UNKNOWN_MESSAGE_TYPE, "message_type");
  }

  @Test
  void messageTypeOfAnotherRpcIsRejected() {
    SealedEnvelope envelope = wellFormed()
        .setHeader(header().setMessageType(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA).build().toByteString()).build();
    expect(envelope, ErrorReason.MESSAGE_TYPE_MISMATCH, "message_type");
  }

  @Test
  void oversizedEnvelopeIsPayloadTooLarge() {
    SealedEnvelope envelope = wellFormed().setCiphertext(ByteString.copyFrom(new byte[70 * 1024])).build();
    StatusRuntimeException e = call(envelope);
    assertThat(Errors.reason(e)).contains(ErrorReason.PAYLOAD_TOO_LARGE);
    assertThat(Errors.errorInfo(e).orElseThrow().getMetadataMap()).containsEntry("limit_bytes", "65536");
  }

  @Test
  void validEnvelopeFromAnUnregisteredSenderIsUnauthenticated() throws Exception {
    StatusRuntimeException e = call(unregistered, sealedByUnregisteredSender());
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(Errors.reason(e)).contains(ErrorReason.SENDER_UNKNOWN);
  }

  /** A correctly sealed envelope from BUREAU-620600, which this test never registers. */
  private static SealedEnvelope sealedByUnregisteredSender() throws Exception {
    var suite = io.hmb.api.v1.CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3;
    var sender = io.hmb.security.PrivateKeyHandle.generate(suite);
    var recipient = io.hmb.security.PrivateKeyHandle.generate(suite);
    EnvelopeHeader h = header().setSender("BUREAU-620600").setAdmdvs("620600").clearNonce().clearSenderKeyId()
        .clearRecipientKeyId().clearSchemaVersion().build();
    return io.hmb.security.Sealer.create().seal(h, io.hmb.api.v1.CoverageQuery.getDefaultInstance(), sender,
        recipient.publicKey());
  }

  private static void expect(SealedEnvelope envelope, ErrorReason reason, String field) {
    StatusRuntimeException e = call(envelope);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).isNotBlank();
    assertThat(Errors.reason(e)).contains(reason);
    if (field != null) {
      assertThat(Errors.errorInfo(e).orElseThrow().getMetadataMap()).containsEntry("field", field);
    }
  }

  private static StatusRuntimeException call(SealedEnvelope envelope) {
    return call(bureau, envelope);
  }

  private static StatusRuntimeException call(ManagedChannel channel, SealedEnvelope envelope) {
    try {
      coverage(channel).checkCoverage(envelope);
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the gateway accepted an envelope it should have refused");
  }

  private static EligibilityServiceGrpc.EligibilityServiceBlockingStub coverage(ManagedChannel channel) {
    return EligibilityServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  static EnvelopeHeader.Builder header() {
    Instant now = Instant.now();
    return EnvelopeHeader.newBuilder()
        .setMessageId(java.util.UUID.randomUUID().toString())
        .setSender("BUREAU-210200")
        .setRecipient("INSURER-LEAD-210200")
        .setMessageType(MessageType.MESSAGE_TYPE_COVERAGE_QUERY)
        .setAdmdvs("210200")
        .setCreateTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
        .setExpireTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond() + 300))
        .setNonce(ByteString.copyFrom(new byte[16]))
        .setSenderKeyId("00112233445566778899aabbccddeeff")
        .setRecipientKeyId("ffeeddccbbaa99887766554433221100")
        .setSchemaVersion(1);
  }

  static SealedEnvelope.Builder wellFormed() {
    return SealedEnvelope.newBuilder()
        .setHeader(header().build().toByteString())
        .setWrappedKey(ByteString.copyFromUtf8("wrapped"))
        .setCiphertext(ByteString.copyFromUtf8("ciphertext"))
        .setSignature(ByteString.copyFromUtf8("signature"));
  }
}
