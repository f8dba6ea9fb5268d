package io.hmb.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.gateway.config.GatewayConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /metrics cannot be held by a client that connects and dawdles, and is not on every interface by default. */
class MetricsEndpointTest {
  private static HttpResponse<String> scrape(int port) throws Exception {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void halfOpenAndDrippingClientsDoNotBlockAScrape() throws Exception {
    try (MetricsEndpoint endpoint = new MetricsEndpoint("127.0.0.1", 0, new GatewayMetrics())) {
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < MetricsEndpoint.WORKERS; i++) {
          idle.add(new Socket("127.0.0.1", endpoint.port())); // connect, send nothing
        }
        long start = System.nanoTime();
        HttpResponse<String> r = scrape(endpoint.port());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("# TYPE");
        // Every worker is held by an idle client: the scrape waits one deadline at most (72 s and more before).
        assertThat(took).isLessThan(MetricsEndpoint.REQUEST_DEADLINE.plusSeconds(3));
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
    }
  }

  @Test
  void aClientThatNeverFinishesItsRequestIsCutOffAtTheDeadline() throws Exception {
    try (MetricsEndpoint endpoint = new MetricsEndpoint("127.0.0.1", 0, new GatewayMetrics());
         Socket drip = new Socket("127.0.0.1", endpoint.port())) {
      OutputStream out = drip.getOutputStream();
      out.write("GET /metrics HTTP/1.0\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      drip.setSoTimeout((int) MetricsEndpoint.REQUEST_DEADLINE.plusSeconds(5).toMillis());
      long start = System.nanoTime();
      InputStream in = drip.getInputStream();
      assertThat(in.read()).as("closed without an answer").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(MetricsEndpoint.REQUEST_DEADLINE.plusSeconds(2));
    }
  }

  @Test
  void onlyMetricsIsServed() throws Exception {
    try (MetricsEndpoint endpoint = new MetricsEndpoint("127.0.0.1", 0, new GatewayMetrics())) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + endpoint.port() + "/admin")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void itListensOnLoopbackByDefaultWhateverTheGatewayListensOn() throws Exception {
    GatewayConfig config = new GatewayConfig().listenAddress("0.0.0.0");
    assertThat(config.metricsAddress()).isEqualTo("127.0.0.1");
    try (MetricsEndpoint endpoint = new MetricsEndpoint(config.metricsAddress(), 0, new GatewayMetrics())) {
      assertThat(endpoint.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
      assertThat(endpoint.address().isLoopbackAddress()).isTrue();
    }
  }
}
