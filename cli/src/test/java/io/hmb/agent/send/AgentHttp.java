package io.hmb.agent.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A local system calling its agent: plain HTTP with the bearer token, JSON in and out (the JDK's client). */
final class AgentHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String token;

  AgentHttp(String base, String token) {
    this.base = base;
    this.token = token;
  }

  static AgentHttp of(String base, Path tokenFile) throws IOException {
    return new AgentHttp(base, Files.readString(tokenFile, StandardCharsets.US_ASCII).strip());
  }

  /** The answer: status, the body's text and its JSON (null when not JSON). */
  record Reply(int status, String text, JsonNode json) {
    JsonNode error() {
      return json.path("error");
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  Reply post(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply postWithoutToken(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).GET());
  }

  private static Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r = CLIENT.send(request.timeout(Duration.ofSeconds(70)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode json;
    try {
      json = r.body().isEmpty() ? null : JSON.readTree(r.body());
    } catch (IOException e) {
      json = null;
    }
    return new Reply(r.statusCode(), r.body(), json);
  }
}
