package io.hmb.conformance.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.Participant;
import io.hmb.client.DirectoryCache;
import io.hmb.client.GatewayClient;
import io.hmb.client.RetryPolicy;
import io.hmb.security.PrivateKeyHandle;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A case addressing a fixture as recipient runs only where the target registered it, else it is skipped. */
class FixturesTest {
  private Server directoryServer;
  private ManagedChannel channel;
  private DirectoryCache directory;

  @BeforeEach
  void aDirectoryThatKnowsOnlyTheSuspendedFixture() throws Exception {
    directoryServer = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new DirectoryServiceGrpc.DirectoryServiceImplBase() {
          @Override
          public void getParticipant(GetParticipantRequest request, StreamObserver<Participant> reply) {
            if (request.getCode().equals("FIXTURE-SUSPENDED")) {
              reply.onNext(Participant.newBuilder().setCode(request.getCode()).build());
              reply.onCompleted();
            } else {
              reply.onError(Status.NOT_FOUND.withDescription("no participant " + request.getCode()).asRuntimeException());
            }
          }
        }).build().start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", directoryServer.getPort(),
        InsecureChannelCredentials.create()).build();
    directory = GatewayClient.builder("HOSPITAL-210200-01").channel(channel)
        .signingKey(PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3))
        .retryPolicy(RetryPolicy.none()).build().directory();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    directoryServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aRegisteredFixtureIsAddressedAndAMissingOneSkipsTheCaseSayingWhatToSetUp(@TempDir Path dir) {
    Fixtures fixtures = new Fixtures(dir, "127.0.0.1:1", null);

    assertThat(fixtures.registered("FIXTURE-SUSPENDED", directory)).isEqualTo("FIXTURE-SUSPENDED");
    assertThatThrownBy(() -> fixtures.registered("FIXTURE-NO-ENDPOINT", directory))
        .isInstanceOf(CaseBody.Skip.class)
        .hasMessageContaining("FIXTURE-NO-ENDPOINT").hasMessageContaining("docs/conformance.md#fixtures");
  }
}
