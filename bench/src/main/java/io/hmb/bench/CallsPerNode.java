package io.hmb.bench;

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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the calls each gateway node (by port) answered on a load-balanced channel, so the two-node
 * figures show that round robin really spread the load rather than assume it.
 */
final class CallsPerNode implements ClientInterceptor {
  private final Map<Integer, AtomicLong> calls = new ConcurrentHashMap<>();

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        ClientCall<Q, R> call = this;
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onHeaders(Metadata responseHeaders) {
            if (call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR) instanceof InetSocketAddress node) {
              calls.computeIfAbsent(node.getPort(), p -> new AtomicLong()).incrementAndGet();
            }
            super.onHeaders(responseHeaders);
          }
        }, headers);
      }
    };
  }

  /** Calls answered per node port since the last call of this method, which starts a new count. */
  Map<Integer, Long> takeCounts() {
    Map<Integer, Long> out = new TreeMap<>();
    calls.forEach((port, n) -> out.put(port, n.getAndSet(0)));
    return out;
  }
}
