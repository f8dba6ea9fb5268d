package io.hmb.gateway.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves GET /metrics in the Prometheus text format over plain HTTP/1.0 on its own address (loopback by
 * default: scrape it from the host, or bind it to the monitoring network on purpose). Bounded in every
 * way a client could hold it: a request must arrive whole within {@link #REQUEST_DEADLINE} and fit in
 * {@link #MAX_REQUEST_BYTES}; {@link #WORKERS} connections are served at once, {@link #WAITING} more wait
 * and any beyond are closed at once. A client that connects and sends nothing (or a byte a second) holds
 * one worker for at most the deadline; a scrape behind a worker-full of them waits one deadline at most.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
  static final Duration REQUEST_DEADLINE = Duration.ofSeconds(2);
  static final int MAX_REQUEST_BYTES = 8 * 1024;
  static final int WORKERS = 8;
  /** Connections that wait for a worker; beyond them a new connection is closed at once. */
  static final int WAITING = 32;

  private final ServerSocket socket;
  private final GatewayMetrics metrics;
  private final ExecutorService workers;
  private final Thread acceptor;

  public MetricsEndpoint(String address, int port, GatewayMetrics metrics) throws IOException {
    this.metrics = metrics;
    this.socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(address), port), 16);
    this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS, new java.util.concurrent.ArrayBlockingQueue<>(WAITING),
        r -> daemon(r, "hmb-metrics"));
    this.acceptor = daemon(this::acceptLoop, "hmb-metrics-accept");
    acceptor.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** The address it listens on. */
  public InetAddress address() {
    return socket.getInetAddress();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        if (!socket.isClosed()) {
          log.warn("metrics endpoint accept failed error={}", e.toString());
        }
        continue;
      }
      try {
        workers.execute(() -> serve(client));
      } catch (RejectedExecutionException busy) {
        closeQuietly(client); // every worker is taken: this client waits for nobody
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      String requestLine = readRequest(client);
      OutputStream out = client.getOutputStream();
      if (requestLine == null) {
        return; // too slow or too large: closed without an answer
      }
      if (requestLine.startsWith("GET /metrics ") || requestLine.equals("GET /metrics")) {
        respond(out, "200 OK", "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
      } else if (requestLine.startsWith("GET ")) {
        respond(out, "404 Not Found", "text/plain; charset=utf-8", "only /metrics is served here\n");
      } else {
        respond(out, "405 Method Not Allowed", "text/plain; charset=utf-8", "GET /metrics\n");
      }
    } catch (IOException e) {
      // the client went away; nothing to do
    }
  }

  /** The request line, once the whole header has arrived within the deadline and the size limit; else null. */
  private static String readRequest(Socket client) throws IOException {
    long deadline = System.nanoTime() + REQUEST_DEADLINE.toNanos();
    InputStream in = client.getInputStream();
    byte[] buffer = new byte[MAX_REQUEST_BYTES];
    int length = 0;
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0 || length == buffer.length) {
        return null;
      }
      client.setSoTimeout((int) Math.max(1, left));
      int n;
      try {
        n = in.read(buffer, length, buffer.length - length);
      } catch (SocketTimeoutException e) {
        return null;
      }
      if (n < 0) {
        return null;
      }
      length += n;
      String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
      if (text.contains("\r\n\r\n") || text.contains("\n\n")) {
        return text.substring(0, text.indexOf('\n')).strip();
      }
    }
  }

  private static void respond(OutputStream out, String status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.0 " + status + "\r\nContent-Type: " + type + "\r\nContent-Length: " + bytes.length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
    workers.shutdownNow();
  }
}
