package io.hmb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.KeyDirectory;
import io.hmb.security.KeyRing;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.Sealer;
import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Security II, finding 1: a Wuwei hospital called the Dalian lead insurer's endpoint directly with its own
 * certificate (issued by the same CA) and got a CoverageDecision, a query the gateway refuses. The endpoint
 * now admits only the gateway's identity, over real TLS, whatever credentials its server was built with.
 */
class RecipientEndpointIdentityTest {
  static final String LEAD = "INSURER-LEAD-210200";
  static final String WUWEI_HOSPITAL = "HOSPITAL-620600-01";
  static final Duration DAY = Duration.ofDays(1);
  static final Instant FAR = Instant.parse("9999-12-31T00:00:00Z");

  final DevCertificateAuthority ca = DevCertificateAuthority.create("test CA", Clock.systemUTC());
  final TrustBundle trust = TrustBundle.of(ca.certificate());
  final PrivateKeyHandle leadKey = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
  final PrivateKeyHandle hospitalKey = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
  final KeyDirectory directory = new KeyDirectory().register(LEAD, leadKey.publicKey(), Instant.EPOCH, FAR)
      .register(WUWEI_HOSPITAL, hospitalKey.publicKey(), Instant.EPOCH, FAR);
  final AtomicInteger answered = new AtomicInteger();
  final List<AutoCloseable> open = new ArrayList<>();

  RecipientEndpointIdentityTest() throws Exception {}

  RecipientEndpoint.Builder leadsEndpoint() {
    return RecipientEndpoint.builder(LEAD, KeyRing.builder().add(leadKey, Instant.EPOCH, FAR).build(), directory)
        .onCoverageQuery((q, ctx) -> {
          answered.incrementAndGet();
          return CoverageDecision.newBuilder().setCovered(true).build();
        });
  }

  int serve(ServerCredentials credentials, RecipientEndpoint endpoint) throws Exception {
    Server server = Grpc.newServerBuilderForPort(0, credentials).addService(endpoint).build().start();
    open.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return server.getPort();
  }

  RecipientServiceGrpc.RecipientServiceBlockingStub caller(int port, ChannelCredentials credentials) {
    ManagedChannel channel = Grpc.newChannelBuilder("localhost:" + port, credentials).build();
    open.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return RecipientServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** A coverage query the Wuwei hospital seals for the Dalian lead insurer, correctly signed. */
  SealedEnvelope hospitalsQuery() throws Exception {
    Instant now = Instant.now();
    EnvelopeHeader h = EnvelopeHeader.newBuilder().setMessageId(UUID.randomUUID().toString()).setSender(WUWEI_HOSPITAL)
        .setRecipient(LEAD).setMessageType(MessageType.MESSAGE_TYPE_COVERAGE_QUERY).setAdmdvs("210200")
        .setProductCode("dalian-2025-upgrade").setCreateTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
        .setExpireTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond() + 300)).build();
    return Sealer.create().seal(h, CoverageQuery.getDefaultInstance(), hospitalKey, leadKey.publicKey());
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void aParticipantsCertificateIsRefusedEvenByAServerThatAdmitsAnyCertificateOfTheCa() throws Exception {
    TlsIdentity endpointCert = ca.issueEndpoint(LEAD, DevCertificateAuthority.LOCAL_NAMES, DAY);
    int port = serve(MutualTls.server(endpointCert, trust), leadsEndpoint().build()); // CA-only, as the simulators had
    for (TlsIdentity hospital : List.of(ca.issueParticipant(WUWEI_HOSPITAL, DAY),
        ca.issueLegacyParticipant(WUWEI_HOSPITAL, DAY))) {
      var direct = caller(port, MutualTls.toEndpoint(hospital, trust, LEAD));
      assertThatThrownBy(() -> direct.exchange(hospitalsQuery())).isInstanceOfSatisfying(StatusRuntimeException.class,
          e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }
    assertThat(answered).hasValue(0);

    // The gateway's client identity is admitted (the envelope checks then run as always).
    var gateway = caller(port, MutualTls.toEndpoint(ca.issueGatewayClient(DAY), trust, LEAD));
    assertThat(gateway.exchange(hospitalsQuery()).getSignature()).isNotEmpty();
    assertThat(answered).hasValue(1);
  }

  @Test
  void withEndpointServerCredentialsAParticipantDoesNotGetPastTheHandshake() throws Exception {
    int port = serve(MutualTls.endpointServer(ca.issueEndpoint(LEAD, DevCertificateAuthority.LOCAL_NAMES, DAY), trust),
        leadsEndpoint().build());
    var direct = caller(port, MutualTls.toEndpoint(ca.issueLegacyParticipant(WUWEI_HOSPITAL, DAY), trust, LEAD));
    assertThatThrownBy(() -> direct.exchange(hospitalsQuery())).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(answered).hasValue(0);
  }

  @Test
  void withoutTlsAllCallsAreRefusedUnlessTheBuilderWasToldSo() throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).addService(leadsEndpoint().build()).build().start();
    open.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    open.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));

    assertThatThrownBy(() -> RecipientServiceGrpc.newBlockingStub(channel).exchange(hospitalsQuery()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThat(answered).hasValue(0);
  }

  @Test
  void aParticipantDialingWhatItTakesForTheGatewayRefusesAServerWithAParticipantsCertificate() throws Exception {
    // The other half of finding 2: a hospital's certificate of the old profile served `hmb health` as SERVING.
    int port = serve(MutualTls.server(ca.issueLegacyParticipant(WUWEI_HOSPITAL, DAY), trust), leadsEndpoint().build());
    var toGateway = caller(port, MutualTls.toGateway(ca.issueParticipant("BUREAU-620600", DAY), trust));
    assertThatThrownBy(() -> toGateway.exchange(hospitalsQuery())).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
