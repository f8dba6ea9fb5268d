package io.hmb.client;

import io.grpc.ChannelCredentials;
import io.grpc.EquivalentAddressGroup;
import io.grpc.Grpc;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusOr;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A channel to several gateway nodes with client-side load balancing: {@code round_robin} over a fixed
 * list of nodes, what a DNS name with one A record per node gives, without DNS. Calls go to every node
 * that is READY and skip one that is down, so a node can be restarted under load:
 *
 * <pre>{@code
 * ManagedChannel channel = GatewayNodes.channelBuilder("gateway.example.cn",
 *     List.of(new InetSocketAddress("10.0.0.11", 7443), new InetSocketAddress("10.0.0.12", 7443)),
 *     MutualTls.toGateway(myTls, gatewayCa)).build();
 * }</pre>
 *
 * The authority is the name the nodes' shared server certificate carries, which TLS checks. Behind the
 * scenes a resolver for {@code hmb-nodes://AUTHORITY/host:port,host:port} targets is registered once per JVM.
 */
public final class GatewayNodes extends NameResolverProvider {
  static final String SCHEME = "hmb-nodes";
  private static final AtomicBoolean REGISTERED = new AtomicBoolean();

  /** Makes the scheme known to every channel of this JVM (grpc-java finds resolvers in a registry). */
  private static void registerOnce() {
    if (REGISTERED.compareAndSet(false, true)) {
      NameResolverRegistry.getDefaultRegistry().register(new GatewayNodes());
    }
  }

  /** A builder for a channel that spreads calls over {@code nodes} round robin; add interceptors, then build. */
  public static ManagedChannelBuilder<?> channelBuilder(String authority, List<InetSocketAddress> nodes,
      ChannelCredentials credentials) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("give at least one gateway node");
    }
    registerOnce();
    return Grpc.newChannelBuilder(target(authority, nodes), credentials).defaultLoadBalancingPolicy("round_robin");
  }

  /** The target string for {@code nodes}; {@link #channelBuilder} is what most callers want. */
  public static String target(String authority, List<InetSocketAddress> nodes) {
    registerOnce();
    return SCHEME + "://" + authority + "/" + nodes.stream()
        .map(n -> n.getHostString() + ":" + n.getPort()).collect(Collectors.joining(","));
  }

  @Override
  public NameResolver newNameResolver(URI target, NameResolver.Args args) {
    if (!SCHEME.equals(target.getScheme())) {
      return null;
    }
    List<EquivalentAddressGroup> nodes = Arrays.stream(target.getPath().substring(1).split(","))
        .map(GatewayNodes::address).map(EquivalentAddressGroup::new).toList();
    String authority = target.getAuthority();
    return new NameResolver() {
      @Override
      public String getServiceAuthority() {
        return authority;
      }

      @Override
      public void start(Listener2 listener) {
        listener.onResult(ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(nodes)).build());
      }

      @Override
      public void shutdown() {
        // nothing to release: the list is fixed
      }
    };
  }

  private static InetSocketAddress address(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    return new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }
}
