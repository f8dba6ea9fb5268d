package io.hmb.gateway.scale;

import io.grpc.Attributes;
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
import java.net.SocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Notes which gateway node (by port) answered each call on a load-balanced channel: counted per node,
 * so the test can show that round robin really used both, and handed to the caller through
 * {@link #PORT}, so a retry can be sent to the other node on purpose.
 */
final class ServedBy implements ClientInterceptor {
  /** Put an AtomicInteger in the call options to learn the port of the node that answered. */
  static final CallOptions.Key<AtomicInteger> PORT = CallOptions.Key.create("hmb-served-by-port");

  private final Map<Integer, AtomicLong> callsByPort = new ConcurrentHashMap<>();

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    AtomicInteger holder = options.getOption(PORT);
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        ClientCall<Q, R> call = this;
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onHeaders(Metadata responseHeaders) {
            noteServer(call.getAttributes(), holder);
            super.onHeaders(responseHeaders);
          }
        }, headers);
      }
    };
  }

  private void noteServer(Attributes transport, AtomicInteger holder) {
    SocketAddress remote = transport.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (remote instanceof InetSocketAddress node) {
      callsByPort.computeIfAbsent(node.getPort(), p -> new AtomicLong()).incrementAndGet();
      if (holder != null) {
        holder.set(node.getPort());
      }
    }
  }

  /** Calls answered so far, per node port. */
  Map<Integer, Long> callsByPort() {
    Map<Integer, Long> out = new TreeMap<>();
    callsByPort.forEach((port, n) -> out.put(port, n.get()));
    return out;
  }
}
