package io.hmb.agent.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's local API: JSON over HTTP for the participant's own systems, on the JDK's HTTP server.
 * Every route needs the {@link AccessToken} unless registered with {@link Builder#openRoute}; a
 * non-loopback address is refused unless served over HTTPS (the token would cross the network in clear).
 * Errors are JSON, {@code {"error": {"reason", "message", ...}}}: 401 UNAUTHENTICATED, 404 NOT_FOUND,
 * 405 METHOD_NOT_ALLOWED, 413 BODY_TOO_LARGE, 500 INTERNAL (the exception is logged by class only: its
 * message could hold a payload's personal data).
 */
public final class LocalApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalApi.class);
  /** Largest request body accepted, as the gateway's envelope limit. */
  public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  private record Template(String method, List<String> segments, Route route, boolean open) {}

  private final HttpServer server;
  private final ExecutorService executor;

  private LocalApi(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static Builder builder(InetSocketAddress address, AccessToken token) {
    return new Builder(address, token);
  }

  /** The port bound (useful when asked for 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Routes and settings, then {@link #start()}. */
  public static final class Builder {
    private final InetSocketAddress address;
    private final AccessToken token;
    private final List<Template> templates = new ArrayList<>();
    private SSLContext tls;
    private int threads = 16;

    private Builder(InetSocketAddress address, AccessToken token) {
      this.address = Objects.requireNonNull(address, "address");
      this.token = Objects.requireNonNull(token, "token");
    }

    /** A route that needs the token. {@code path} may hold {@code {name}} segments, e.g. /v1/inbox/{id}/ack. */
    public Builder route(String method, String path, Route route) {
      templates.add(new Template(method, segments(path), route, false));
      return this;
    }

    /** A route anyone on the address may call (health, the OpenAPI document): it must reveal nothing. */
    public Builder openRoute(String method, String path, Route route) {
      templates.add(new Template(method, segments(path), route, true));
      return this;
    }

    /** Serve HTTPS with this context (required for a non-loopback address). */
    public Builder tls(SSLContext context) {
      this.tls = context;
      return this;
    }

    /** Threads serving requests; a pass-through call holds one for its whole deadline. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1");
      }
      this.threads = threads;
      return this;
    }

    public LocalApi start() throws IOException {
      if (tls == null && !address.getAddress().isLoopbackAddress()) {
        throw new IllegalArgumentException("the local API on " + address.getAddress().getHostAddress()
            + " would carry the access token in clear; listen on loopback (127.0.0.1) or configure HTTPS");
      }
      HttpServer server;
      if (tls != null) {
        HttpsServer https = HttpsServer.create(address, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      } else {
        server = HttpServer.create(address, 0);
      }
      ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "hmb-agent-http");
        t.setDaemon(true);
        return t;
      });
      List<Template> routes = List.copyOf(templates);
      server.createContext("/", exchange -> dispatch(exchange, routes, token));
      server.setExecutor(executor);
      server.start();
      return new LocalApi(server, executor);
    }
  }

  private static List<String> segments(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a path starts with /: " + path);
    }
    return List.of(path.substring(1).split("/", -1));
  }

  private static void dispatch(HttpExchange exchange, List<Template> routes, AccessToken token) {
    try (exchange) {
      ApiResponse response;
      try {
        response = answer(exchange, routes, token);
      } catch (ApiException e) {
        response = error(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response = error(new ApiException(503, "AGENT_STOPPING", "the agent is stopping; retry with the same idempotency key"));
      } catch (RuntimeException e) {
        LOG.error("local API {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            e.getClass().getName());
        response = error(new ApiException(500, "INTERNAL", "the agent failed to handle the request; its log says where"));
      }
      write(exchange, response);
    } catch (IOException e) {
      LOG.debug("local API: the caller went away: {}", e.getClass().getSimpleName());
    }
  }

  private static ApiResponse answer(HttpExchange exchange, List<Template> routes, AccessToken token)
      throws IOException, ApiException, InterruptedException {
    URI uri = exchange.getRequestURI();
    List<String> path = segments(uri.getRawPath());
    Set<String> allowed = new LinkedHashSet<>();
    for (Template t : routes) {
      Map<String, String> params = match(t.segments(), path);
      if (params == null) {
        continue;
      }
      if (!t.method().equals(exchange.getRequestMethod())) {
        allowed.add(t.method());
        continue;
      }
      if (!t.open() && !token.admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
        throw new ApiException(401, "UNAUTHENTICATED",
            "send the agent's access token as 'Authorization: Bearer TOKEN' (the operator has it in the agent's token file)");
      }
      byte[] body = readBody(exchange.getRequestBody());
      Map<String, String> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(v.size() - 1)));
      return t.route().handle(new ApiRequest(exchange.getRequestMethod(), uri.getPath(), params,
          query(uri.getRawQuery()), Map.copyOf(headers), body));
    }
    if (!allowed.isEmpty()) {
      return error(new ApiException(405, "METHOD_NOT_ALLOWED", uri.getPath() + " takes " + String.join(", ", allowed)))
          .withHeader("Allow", String.join(", ", allowed));
    }
    throw new ApiException(404, "NOT_FOUND", "no such endpoint: " + uri.getPath() + " (GET /v1/openapi.json lists them)");
  }

  private static Map<String, String> match(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String t = template.get(i);
      String p = URLDecoder.decode(path.get(i), StandardCharsets.UTF_8);
      if (t.startsWith("{") && t.endsWith("}")) {
        if (p.isEmpty()) {
          return null;
        }
        params.put(t.substring(1, t.length() - 1), p);
      } else if (!t.equals(p)) {
        return null;
      }
    }
    return params;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.put(k, v);
    }
    return q;
  }

  private static byte[] readBody(InputStream in) throws IOException, ApiException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw new ApiException(413, "BODY_TOO_LARGE", "the body is over " + MAX_BODY_BYTES + " bytes");
    }
    return body;
  }

  private static ApiResponse error(ApiException e) {
    ObjectNode root = ApiRequest.JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("reason", e.reason());
    error.put("message", e.getMessage());
    if (e.details() != null) {
      error.setAll(e.details());
    }
    return ApiResponse.json(e.status(), root);
  }

  private static void write(HttpExchange exchange, ApiResponse response) throws IOException {
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (response.contentType() != null) {
      exchange.getResponseHeaders().set("Content-Type", response.contentType() + "; charset=utf-8");
    }
    if (response.body().length == 0) {
      exchange.sendResponseHeaders(response.status(), -1);
    } else {
      exchange.sendResponseHeaders(response.status(), response.body().length);
      exchange.getResponseBody().write(response.body());
    }
  }
}
