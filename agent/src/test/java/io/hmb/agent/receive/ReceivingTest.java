package io.hmb.agent.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.agent.AgentConfig;
import io.hmb.api.MessageCatalog;
import io.hmb.client.GatewayClient;
import io.hmb.client.InboxSubscriber;
import io.hmb.client.RecipientEndpoint;
import io.hmb.security.PrivateKeyHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceivingTest {
  @TempDir Path dir;

  @Test
  void everyCatalogueTypeHasTheOneHandler() {
    GatewayClient client = client();
    assertThat(Receiving.registerDeliveries(InboxSubscriber.builder(client), (m, c) -> { }))
        .isEqualTo(Receiving.catalogue(MessageCatalog.Kind.STORE_AND_FORWARD));
    RecipientEndpoint.Builder endpoint = RecipientEndpoint.builder(client);
    assertThat(Receiving.registerDeliveries(endpoint, (m, c) -> { }))
        .isEqualTo(Receiving.catalogue(MessageCatalog.Kind.STORE_AND_FORWARD));
    assertThat(Receiving.registerQuestions(endpoint, (m, c) -> m))
        .isEqualTo(Receiving.catalogue(MessageCatalog.Kind.PASS_THROUGH));
  }

  @Test
  void anAnswerUrlNeedsAnEndpoint() {
    assertThatThrownBy(() -> new AgentConfig(dir, dir.resolve("ca.crt"), "localhost:1", dir,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, null, AgentConfig.Receive.INBOX, null,
        null, URI.create("http://127.0.0.1:9/answer"), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("answerUrl needs receive=ENDPOINT");
  }

  @Test
  void anEndpointNeedsItsCredentials() throws Exception {
    AgentConfig config = new AgentConfig(dir, dir.resolve("ca.crt"), "localhost:1", dir,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, null, AgentConfig.Receive.ENDPOINT, null,
        null, null, null);
    try (var queue = io.hmb.agent.store.DurableQueue.open(dir.resolve("inbound"))) {
      assertThatThrownBy(() -> Receiving.create(config, client(), null, queue))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint's server credentials");
    }
    assertThatThrownBy(() -> Receiving.endpointCredentials(config)).hasMessageContaining("endpoint.crt does not exist");
  }

  private static GatewayClient client() {
    // A client that is never used to call: only the builders read it.
    io.grpc.ManagedChannel channel = io.grpc.Grpc.newChannelBuilder("localhost:1",
        io.grpc.InsecureChannelCredentials.create()).build();
    return GatewayClient.builder("INSURER-LEAD-210200").channel(channel)
        .signingKey(PrivateKeyHandle.generate(io.hmb.api.v1.CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3)).build();
  }
}
