package io.hmb.gateway.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between the gateway and a participant's endpoint, with a switchable fault:
 * pass bytes through, hang (accept and never forward), slow every chunk down, or drop connections at
 * random. It sees only TLS bytes; what it breaks is the transport, as a bad network or a stuck server would.
 */
final class FaultyProxy implements AutoCloseable {
  enum Mode { PASS, HANG, SLOW, DROP }

  private final ServerSocket server;
  private final int targetPort;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "faulty-proxy");
    t.setDaemon(true);
    return t;
  });
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Random random;
  private volatile Mode mode = Mode.PASS;
  private volatile long slowMillis = 200;
  private volatile double dropProbability = 0.3;
  private final AtomicInteger dropped = new AtomicInteger();

  FaultyProxy(int targetPort, long seed) throws IOException {
    this.targetPort = targetPort;
    this.random = new Random(seed);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Switches the fault; existing connections are cut so the new mode applies at once. */
  void mode(Mode newMode) {
    mode = newMode;
    cutAll();
  }

  void slowMillis(long millis) {
    slowMillis = millis;
  }

  void dropProbability(double p) {
    dropProbability = p;
  }

  /** Connections cut in DROP mode so far: evidence that the fault met real traffic. */
  int dropped() {
    return dropped.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        if (mode == Mode.HANG) {
          continue; // accepted, never answered
        }
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
        open.add(upstream);
        threads.execute(() -> pump(client, upstream));
        threads.execute(() -> pump(upstream, client));
      } catch (IOException e) {
        // closed, or the target is down: the client sees a reset
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        Mode m = mode;
        if (m == Mode.DROP && random.nextDouble() < dropProbability) {
          dropped.incrementAndGet();
          from.close();
          to.close();
          return;
        }
        if (m == Mode.SLOW) {
          Thread.sleep(slowMillis); // the fault itself, a slow network: a duration, not synchronisation
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // connection ended
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void cutAll() {
    open.forEach(FaultyProxy::closeQuietly);
    open.clear();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cutAll();
    threads.shutdownNow();
  }
}
