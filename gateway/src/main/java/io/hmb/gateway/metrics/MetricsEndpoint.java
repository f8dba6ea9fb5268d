package io.hmb.gateway.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves GET /metrics in the Prometheus text format on a plain HTTP port (scrape it from inside the network). */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer server;

  public MetricsEndpoint(String address, int port, GatewayMetrics metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(address, port), 16);
    server.createContext("/metrics", exchange -> {
      byte[] body = metrics.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
