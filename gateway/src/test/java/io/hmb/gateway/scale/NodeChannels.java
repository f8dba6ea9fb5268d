package io.hmb.gateway.scale;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.hmb.client.GatewayNodes;
import io.hmb.client.NodeCalls;
import io.hmb.gateway.support.TestParty;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TrustBundle;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One participant's mTLS channels to the gateway cluster: {@link #roundRobin} over every node (what a
 * client in production uses), and one channel pinned to each node, for the calls a test must place on
 * a chosen node (a retry on the node that did not take the original, one inbox stream per node).
 */
final class NodeChannels implements AutoCloseable {
  /** The name on the nodes' shared server certificate. */
  static final String AUTHORITY = "localhost";

  final ManagedChannel roundRobin;
  private final Map<Integer, ManagedChannel> pinned = new LinkedHashMap<>();

  NodeChannels(TestParty party, TrustBundle gatewayCa, List<Integer> nodePorts, NodeCalls servedBy) throws Exception {
    ChannelCredentials credentials = MutualTls.toGateway(party.tls, gatewayCa);
    List<InetSocketAddress> nodes = nodePorts.stream().map(p -> new InetSocketAddress("127.0.0.1", p)).toList();
    roundRobin = GatewayNodes.channelBuilder(AUTHORITY, nodes, credentials)
        .intercept(servedBy)
        .build();
    for (int port : nodePorts) {
      pinned.put(port, Grpc.newChannelBuilder(AUTHORITY + ":" + port, credentials).build());
    }
  }

  ManagedChannel pinnedTo(int port) {
    ManagedChannel channel = pinned.get(port);
    if (channel == null) {
      throw new IllegalArgumentException("no gateway node on port " + port + "; nodes: " + pinned.keySet());
    }
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    roundRobin.shutdownNow();
    pinned.values().forEach(ManagedChannel::shutdownNow);
    roundRobin.awaitTermination(5, TimeUnit.SECONDS);
    for (ManagedChannel c : pinned.values()) {
      c.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
