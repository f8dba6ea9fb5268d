package io.hmb.agent.receive;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A participant's local system as an integrator writes it: an HTTP server (the JDK's, on loopback) that checks
 * each call's {@code Hmb-Signature} with the agent's webhook secret the way docs/agent.md says, records the
 * calls whose signature verified, counts those that did not, and answers as the test says.
 */
final class RecordingLocalSystem implements AutoCloseable {
  /** One verified call: its message id header and body. */
  record Call(String messageId, String body) {}

  /** The status and body to answer a verified call with; may take its time. */
  @FunctionalInterface
  interface Behaviour {
    Reply answer(Call call) throws Exception;
  }

  record Reply(int status, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Path secretFile;
  private final List<Call> calls = new ArrayList<>();
  private volatile Behaviour behaviour;
  private volatile int badSignatures;
  private final java.util.concurrent.atomic.AtomicInteger inProgress = new java.util.concurrent.atomic.AtomicInteger();

  /** @param secretFile the agent's STATE/webhook.secret (read at each call: the agent makes it on its first start) */
  RecordingLocalSystem(Path secretFile, Behaviour behaviour) throws IOException {
    this(secretFile, 0, behaviour);
  }

  RecordingLocalSystem(Path secretFile, int port, Behaviour behaviour) throws IOException {
    this.secretFile = secretFile;
    this.behaviour = behaviour;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String timestamp = exchange.getRequestHeaders().getFirst("Hmb-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("Hmb-Signature");
        if (timestamp == null || signature == null || !signature.equals(sign(timestamp, body))) {
          badSignatures++;
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        Call call = new Call(exchange.getRequestHeaders().getFirst("Hmb-Message-Id"),
            new String(body, StandardCharsets.UTF_8));
        Reply reply;
        inProgress.incrementAndGet();
        try {
          reply = this.behaviour.answer(call);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          reply = new Reply(500, "");
        } finally {
          inProgress.decrementAndGet();
        }
        if (reply.status() >= 200 && reply.status() < 300) {
          synchronized (calls) {
            calls.add(call);
          }
        }
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
          exchange.getResponseBody().write(out);
        }
      }
    });
    server.setExecutor(executor);
    server.start();
  }

  private String sign(String timestamp, byte[] body) throws IOException {
    try {
      String secret = Files.readString(secretFile, StandardCharsets.US_ASCII).strip();
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  void behave(Behaviour b) {
    this.behaviour = b;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hmb");
  }

  /** The calls it took (answered 2xx), in order. */
  List<Call> taken() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** Verified calls being answered now (the agent waits for them). */
  int inProgress() {
    return inProgress.get();
  }

  int badSignatures() {
    return badSignatures;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
