package io.hmb.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which gateway node answered, on a channel from {@link GatewayNodes}: counts the calls each node
 * answered (to see that load balancing really spreads the load) and, when a call carries an
 * {@link #ANSWERED_BY} holder, tells that caller which node it was (to send a retry elsewhere on purpose,
 * or to log it). A call counts when the node's response headers arrive.
 *
 * <pre>{@code
 * NodeCalls nodeCalls = new NodeCalls();
 * ManagedChannel channel = GatewayNodes.channelBuilder(authority, nodes, credentials).intercept(nodeCalls).build();
 * ...
 * log.info("calls per node: {}", nodeCalls.counts());
 * }</pre>
 */
public final class NodeCalls implements ClientInterceptor {
  /** Put a holder in the call options ({@code stub.withOption(ANSWERED_BY, holder)}) to learn the node. */
  public static final CallOptions.Key<AtomicReference<InetSocketAddress>> ANSWERED_BY =
      CallOptions.Key.create("hmb-answered-by");

  private final Map<InetSocketAddress, AtomicLong> calls = new ConcurrentHashMap<>();

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    AtomicReference<InetSocketAddress> holder = options.getOption(ANSWERED_BY);
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        ClientCall<Q, R> call = this;
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onHeaders(Metadata responseHeaders) {
            if (call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR) instanceof InetSocketAddress node) {
              calls.computeIfAbsent(node, n -> new AtomicLong()).incrementAndGet();
              if (holder != null) {
                holder.set(node);
              }
            }
            super.onHeaders(responseHeaders);
          }
        }, headers);
      }
    };
  }

  /** Calls answered so far, per node, in address order. */
  public Map<InetSocketAddress, Long> counts() {
    Map<InetSocketAddress, Long> out = new TreeMap<>(BY_ADDRESS);
    calls.forEach((node, n) -> out.put(node, n.get()));
    return out;
  }

  /** Calls answered since the last take, per node, in address order; starts a new count. */
  public Map<InetSocketAddress, Long> takeCounts() {
    Map<InetSocketAddress, Long> out = new TreeMap<>(BY_ADDRESS);
    calls.forEach((node, n) -> out.put(node, n.getAndSet(0)));
    return out;
  }

  private static final Comparator<InetSocketAddress> BY_ADDRESS =
      Comparator.comparing(InetSocketAddress::getHostString).thenComparingInt(InetSocketAddress::getPort);
}
