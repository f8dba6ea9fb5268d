package io.hmb.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.hmb.agent.http.AccessToken;
import io.hmb.agent.http.ApiResponse;
import io.hmb.agent.http.LocalApi;
import io.hmb.agent.openapi.OpenApi;
import io.hmb.agent.receive.Receiving;
import io.hmb.agent.send.Sending;
import io.hmb.agent.store.DurableQueue;
import io.hmb.client.GatewayClient;
import io.hmb.client.ParticipantFiles;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running agent: the participant's material loaded from {@link AgentConfig#keysDir()}, one mTLS channel to
 * the gateway ({@code MutualTls.toGateway}: the participant's client certificate; only a server with the
 * gateway's identity), one {@link GatewayClient} (the SDK seals, signs, opens and verifies), the parts (sending,
 * and whatever {@link PartFactory}s the caller adds, receiving among them) and the local API with every part's
 * routes, health and the OpenAPI document. {@link #close()} stops it in reverse order, each step bounded.
 *
 * <p>Log lines name the participant, addresses, idempotency keys and message ids, never a payload.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
  /** The access token's file in the state directory (0600, made on first start). */
  public static final String TOKEN_FILE = "access.token";

  /** What a part is built from: the settings, the participant's material, the SDK client on the agent's channel. */
  public record Context(AgentConfig config, ParticipantFiles participant, GatewayClient client) {
    /** A part's own subdirectory of the state directory ({@code outbound}, {@code inbound}). */
    public Path state(String name) {
      return config.stateDir().resolve(name);
    }
  }

  /** Builds one part once the channel and the client exist (how the receiving side is added). */
  @FunctionalInterface
  public interface PartFactory {
    AgentPart create(Context context) throws Exception;
  }

  private final Context context;
  private final ManagedChannel channel;
  private final Deque<AgentPart> parts;
  private final LocalApi api;
  private final Path tokenFile;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Agent(Context context, ManagedChannel channel, Deque<AgentPart> parts, LocalApi api, Path tokenFile) {
    this.context = context;
    this.channel = channel;
    this.parts = parts;
    this.api = api;
    this.tokenFile = tokenFile;
  }

  /** Starts an agent that sends only. */
  public static Agent start(AgentConfig config) throws Exception {
    return start(config, List.of());
  }

  /**
   * Starts an agent with the sending part and {@code extraParts} (each built from the {@link Context}, its
   * routes added to the local API, started after the API is up). A failure stops whatever was started.
   */
  public static Agent start(AgentConfig config, List<PartFactory> extraParts) throws Exception {
    ParticipantFiles participant = ParticipantFiles.inDirectory(config.keysDir(), TrustBundle.load(config.gatewayCa()));
    ManagedChannel channel = participant.channel(config.gateway());
    Deque<AgentPart> started = new ArrayDeque<>();
    LocalApi api = null;
    try {
      GatewayClient client = GatewayClient.builder(participant.code()).channel(channel)
          .signingKey(participant.signingKey()).defaultDeadline(config.callDeadline()).build();
      Context context = new Context(config, participant, client);
      Path tokenFile = config.stateDir().resolve(TOKEN_FILE);
      AccessToken token = AccessToken.loadOrCreate(tokenFile);
      List<AgentPart> all = new ArrayList<>();
      all.add(new Sending(context));
      if (config.receive() != AgentConfig.Receive.NONE) {
        all.add(receiving(context));
      }
      for (PartFactory factory : extraParts) {
        all.add(factory.create(context));
      }
      LocalApi.Builder routes = LocalApi.builder(config.listen(), token);
      if (config.localTlsCertificate() != null) {
        routes.tls(localTls(config.localTlsCertificate(), config.localTlsPrivateKey()));
      }
      for (AgentPart part : all) {
        started.push(part); // closed on failure even if not yet started: each part's close() is safe then
        part.addRoutes(routes);
      }
      Deque<AgentPart> live = started;
      routes.openRoute("GET", "/v1/health", request -> ApiResponse.json(200, health(participant.code(), channel, live)));
      String openApi = OpenApi.document();
      routes.openRoute("GET", "/v1/openapi.json", request -> ApiResponse.jsonText(200, openApi));
      api = routes.start();
      for (AgentPart part : all) {
        part.start();
      }
      Agent agent = new Agent(context, channel, started, api, tokenFile);
      LOG.info("agent started: participant={} listen={} gateway={} token_file={} parts={}", participant.code(),
          agent.url(), config.gateway(), tokenFile, all.stream().map(p -> p.getClass().getSimpleName()).toList());
      return agent;
    } catch (Exception | Error e) {
      stop(started, api, channel);
      throw e;
    }
  }

  /** The receiving part: STATE/inbound, the endpoint's credentials when the gateway dials it. */
  private static AgentPart receiving(Context context) throws Exception {
    AgentConfig config = context.config();
    ServerCredentials credentials = config.receive() == AgentConfig.Receive.ENDPOINT
        ? Receiving.endpointCredentials(config) : null;
    DurableQueue inbound = DurableQueue.open(context.state(Receiving.INBOUND_DIR));
    try {
      return Receiving.create(config, context.client(), credentials, inbound);
    } catch (IOException | RuntimeException e) {
      inbound.close();
      throw e;
    }
  }

  /** The port of the endpoint the agent serves (receive ENDPOINT), to register with the gateway; -1 if none. */
  public int endpointPort() {
    for (AgentPart part : parts) {
      if (part instanceof Receiving receiving) {
        return receiving.endpointPort();
      }
    }
    return -1;
  }

  private static SSLContext localTls(Path certificate, Path key) throws IOException, GeneralSecurityException {
    TlsIdentity identity = TlsIdentity.load(certificate, key);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(identity.keyManagerFactory().getKeyManagers(), null, null);
    return tls;
  }

  private static ObjectNode health(String participant, ManagedChannel channel, Deque<AgentPart> parts) {
    ObjectNode h = JsonNodeFactory.instance.objectNode();
    h.put("status", "SERVING");
    h.put("participant", participant);
    h.put("gateway", reachable(channel) ? "reachable" : "unreachable");
    for (AgentPart part : parts) {
      part.describeHealth(h);
    }
    return h;
  }

  /** Whether the channel is connected, or connects within a second. */
  private static boolean reachable(ManagedChannel channel) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    ConnectivityState state = channel.getState(true);
    while (state != ConnectivityState.READY && System.nanoTime() < end) {
      if (state == ConnectivityState.TRANSIENT_FAILURE || state == ConnectivityState.SHUTDOWN) {
        return false;
      }
      try {
        Thread.sleep(20); // polling the channel's state; nothing to be notified by on a shared thread
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      state = channel.getState(false);
    }
    return state == ConnectivityState.READY;
  }

  /** This agent's participant code. */
  public String participant() {
    return context.participant().code();
  }

  public Context context() {
    return context;
  }

  /** The local API's address (the port bound, when asked for 0). */
  public InetSocketAddress address() {
    return api.address();
  }

  /** {@code http://127.0.0.1:7480} (https when the local API has TLS). */
  public String url() {
    String host = api.address().getAddress().getHostAddress();
    return (context.config().localTlsCertificate() != null ? "https" : "http") + "://"
        + (host.contains(":") ? "[" + host + "]" : host) + ":" + api.port();
  }

  /** The file holding the access token local systems present. */
  public Path tokenFile() {
    return tokenFile;
  }

  /** Stops the parts (last added first), the local API and the channel; each step bounded. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LOG.info("agent stopping: participant={}", participant());
      stop(parts, api, channel);
    }
  }

  private static void stop(Deque<AgentPart> parts, LocalApi api, ManagedChannel channel) {
    if (api != null) {
      api.close(); // no new requests while the parts stop
    }
    while (!parts.isEmpty()) {
      AgentPart part = parts.pop();
      try {
        part.close();
      } catch (RuntimeException e) {
        LOG.warn("agent: {} failed to stop: {}", part.getClass().getSimpleName(), e.getClass().getName());
      }
    }
    try {
      if (!channel.shutdown().awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
