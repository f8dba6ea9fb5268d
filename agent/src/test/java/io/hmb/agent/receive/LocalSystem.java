package io.hmb.agent.receive;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A participant's local system as the agent sees it: a real HTTP server on loopback (the JDK's) that records
 * every call (headers, body) and answers as the test says, e.g. 500 twice and then 200.
 */
final class LocalSystem implements AutoCloseable {
  /** One call the agent made. */
  record Call(Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** What to answer the n-th call (from 1); may take its time. */
  @FunctionalInterface
  interface Behaviour {
    Reply answer(int n, Call call) throws Exception;
  }

  record Reply(int status, String body) {
    static Reply of(int status) {
      return new Reply(status, "");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final List<Call> calls = new ArrayList<>();
  private volatile Behaviour behaviour;

  LocalSystem(Behaviour behaviour) throws IOException {
    this.behaviour = behaviour;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        Call call = new Call(Map.copyOf(headers), exchange.getRequestBody().readAllBytes());
        int n;
        synchronized (calls) {
          calls.add(call);
          n = calls.size();
        }
        Reply reply;
        try {
          reply = this.behaviour.answer(n, call);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          reply = new Reply(500, "");
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          exchange.getResponseBody().write(body);
        }
      }
    });
    server.setExecutor(executor);
    server.start();
  }

  void behave(Behaviour b) {
    this.behaviour = b;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  int callCount() {
    synchronized (calls) {
      return calls.size();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
