package io.hmb.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A TCP endpoint that accepts connections and never says a word (not even the TLS handshake): the
 * recipient that hangs, for the conformance case on RECIPIENT_TIMEOUT. One per JVM, on loopback, on a
 * daemon thread; it keeps the last few connections open so the caller waits for its deadline.
 */
final class SilentEndpoint {
  private static final int KEEP_OPEN = 32;
  private static SilentEndpoint instance;

  private final ServerSocket socket;

  private SilentEndpoint(ServerSocket socket) {
    this.socket = socket;
  }

  /** The JVM's silent endpoint as host:port, started on first use. */
  static synchronized String address() {
    if (instance == null) {
      try {
        instance = new SilentEndpoint(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      } catch (IOException e) {
        throw new UncheckedIOException("could not open the silent conformance endpoint on loopback", e);
      }
      Thread t = new Thread(instance::acceptForever, "hmb-silent-endpoint");
      t.setDaemon(true);
      t.start();
    }
    return "127.0.0.1:" + instance.socket.getLocalPort();
  }

  private void acceptForever() {
    Deque<Socket> open = new ArrayDeque<>();
    while (!socket.isClosed()) {
      try {
        open.addLast(socket.accept());
        if (open.size() > KEEP_OPEN) {
          open.removeFirst().close();
        }
      } catch (IOException e) {
        return;
      }
    }
  }
}
