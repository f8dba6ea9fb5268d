package io.hmb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.InsecureChannelCredentials;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayNodesTest {
  @Test
  void theTargetNamesTheCertificateAuthorityAndEveryNodeInOrder() {
    String target = GatewayNodes.target("gateway.example.cn",
        List.of(new InetSocketAddress("10.0.0.11", 7443), new InetSocketAddress("10.0.0.12", 7444)));
    assertThat(target).isEqualTo("hmb-nodes://gateway.example.cn/10.0.0.11:7443,10.0.0.12:7444");
  }

  @Test
  void aChannelNeedsAtLeastOneNode() {
    assertThatThrownBy(() -> GatewayNodes.channelBuilder("gateway.example.cn", List.of(),
        InsecureChannelCredentials.create())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node");
  }
}
