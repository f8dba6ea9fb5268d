package io.hmb.gateway.metrics;

import java.util.logging.Logger;

/**
 * gRPC's Netty transport logs a caller's mistake it refuses itself (a message over the transport's
 * ceiling, bytes that are not gRPC framing) as "Exception processing message" with a stack trace at
 * WARNING, once per garbage request. This filter turns each into one line through the gateway's own
 * log, the cause's message made {@link LogSafe}; records without a cause pass unchanged.
 */
public final class TransportLog {
  static final String NETTY_SERVER_STREAM = "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream";
  /** Held strongly: java.util.logging keeps only weak references, and would forget the filter. */
  private static final Logger STREAM = Logger.getLogger(NETTY_SERVER_STREAM);
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("io.hmb.gateway.calls");

  private TransportLog() {}

  public static void install() {
    STREAM.setFilter(record -> {
      if (record.getThrown() == null) {
        return true;
      }
      log.info("call refused by the transport error=\"{}\"", LogSafe.value(String.valueOf(record.getThrown().getMessage())));
      return false;
    });
  }
}
