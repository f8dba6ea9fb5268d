package io.hmb.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.security.tls.MutualTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A serving node needs the CA's certificate, never its key; the cluster helper does not hand the key on. */
class CaOffTheServingPathTest {
  @Test
  void aNodeWithoutTheCaKeyServesAndRefusesToIssue(@TempDir Path dataDir) throws Exception {
    try (Gateway first = Gateway.start(config(dataDir), Clock.systemUTC())) {
      assertThat(first.admin().issueTlsIdentity("HOSPITAL-210200-01")).isNotNull(); // the CA is here at first
    }
    Files.delete(dataDir.resolve("tls").resolve("ca.key"));

    try (Gateway node = Gateway.start(config(dataDir), Clock.systemUTC())) {
      ManagedChannel channel = Grpc.newChannelBuilder("localhost:" + node.port(),
          MutualTls.anonymousToGateway(node.admin().trustBundle())).build();
      try {
        assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      assertThatThrownBy(() -> node.admin().issueTlsIdentity("HOSPITAL-210200-02"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("no CA key");
    }
    assertThat(Files.exists(dataDir.resolve("tls").resolve("ca.key"))).as("serving did not make a new CA key").isFalse();
  }

  @Test
  void theClusterHelperCopiesWhatANodeServesWithButNotTheCaKey(@TempDir Path nodeA, @TempDir Path nodeB)
      throws Exception {
    GatewayTls.loadOrCreate(nodeA, Clock.systemUTC());
    GatewayTls.copyClusterMaterial(nodeA, nodeB, Clock.systemUTC());
    assertThat(Files.exists(nodeB.resolve("tls").resolve("ca.crt"))).isTrue();
    assertThat(Files.exists(nodeB.resolve("tls").resolve("ca.key"))).isFalse();
    assertThat(Files.readString(nodeB.resolve("tls").resolve("gateway-client.crt")))
        .as("node B has a client certificate of its own").isNotEqualTo(
            Files.readString(nodeA.resolve("tls").resolve("gateway-client.crt")));
    assertThat(GatewayTls.loadOrCreate(nodeB, Clock.systemUTC()).trustBundle()).isNotNull();
  }

  private static GatewayConfig config(Path dataDir) {
    return new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir);
  }
}
