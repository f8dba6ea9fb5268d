package io.hmb.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalApiTest {
  @TempDir Path dir;
  private LocalApi api;
  private String token;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    AccessToken access = AccessToken.loadOrCreate(dir.resolve("agent.token"));
    token = Files.readString(dir.resolve("agent.token")).strip();
    api = LocalApi.builder(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), access)
        .openRoute("GET", "/v1/health", r -> ApiResponse.jsonText(200, "{\"status\":\"SERVING\"}"))
        .route("POST", "/v1/echo/{name}", r -> {
          JsonNode body = r.jsonObject();
          return ApiResponse.jsonText(200, "{\"name\":\"" + r.pathParam("name") + "\",\"fields\":" + body.size() + "}");
        })
        .start();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpResponse<String> post(String path, String body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String reason(HttpResponse<String> r) throws IOException {
    return ApiRequest.JSON.readTree(r.body()).path("error").path("reason").asText();
  }

  @Test
  void theTokenFileIsTheOwnersAndSurvivesRestarts() throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("agent.token"))))
        .isEqualTo("rw-------");
    assertThat(token).hasSizeGreaterThanOrEqualTo(43);
    AccessToken.loadOrCreate(dir.resolve("agent.token"));
    assertThat(Files.readString(dir.resolve("agent.token")).strip()).isEqualTo(token);
  }

  @Test
  void aTokenFileOthersCanReadIsRefused() throws IOException {
    Path file = dir.resolve("loose.token");
    Files.writeString(file, "x".repeat(43));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> AccessToken.loadOrCreate(file)).hasMessageContaining("chmod 600");
  }

  @Test
  void everyCallButTheOpenOnesNeedsTheToken() throws Exception {
    assertThat(post("/v1/echo/a", "{}", null).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = post("/v1/echo/a", "{}", token.substring(1) + "x");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(reason(wrong)).isEqualTo("UNAUTHENTICATED");
    HttpResponse<String> ok = post("/v1/echo/a%20b", "{\"x\":1,\"y\":2}", token);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("{\"name\":\"a b\",\"fields\":2}");
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + api.port() + "/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPathsAndMethodsAreJsonErrors() throws Exception {
    HttpResponse<String> missing = post("/v1/nothing", "{}", token);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(reason(missing)).isEqualTo("NOT_FOUND");
    HttpResponse<String> method = post("/v1/health", "{}", token);
    assertThat(method.statusCode()).isEqualTo(405);
    assertThat(method.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void badJsonIsNamedWithoutEchoingTheBody() throws Exception {
    HttpResponse<String> bad = post("/v1/echo/a", "{\"certno\": \"210203199001011239\",", token);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(reason(bad)).isEqualTo("INVALID_JSON");
    assertThat(bad.body()).doesNotContain("210203199001011239");
    HttpResponse<String> twice = post("/v1/echo/a", "{\"a\":1,\"a\":2}", token);
    assertThat(ApiRequest.JSON.readTree(twice.body()).path("error").path("message").asText()).contains("twice");
    assertThat(reason(post("/v1/echo/a", "[1]", token))).isEqualTo("INVALID_JSON");
  }

  @Test
  void aBodyOverTheLimitIsRefused() throws Exception {
    HttpResponse<String> big = post("/v1/echo/a", "{\"x\":\"" + "a".repeat(LocalApi.MAX_BODY_BYTES) + "\"}", token);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(reason(big)).isEqualTo("BODY_TOO_LARGE");
  }

  @Test
  void plainHttpOnANonLoopbackAddressIsRefused() throws IOException {
    AccessToken access = AccessToken.loadOrCreate(dir.resolve("agent.token"));
    assertThatThrownBy(() -> LocalApi.builder(new InetSocketAddress("0.0.0.0", 0), access).start())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in clear");
  }
}
