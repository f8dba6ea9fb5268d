package io.hmb.agent.receive;

import io.hmb.agent.AgentConfig;
import io.hmb.agent.http.AccessToken;
import io.hmb.agent.http.LocalApi;
import io.hmb.agent.store.DurableQueue;
import io.hmb.client.GatewayClient;
import io.hmb.conformance.sim.SimParticipant;
import io.hmb.security.tls.TrustBundle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The receiving part of an agent with its local API, started the way the agent will wire it (Agent is the
 * sending helper's; this is the least of it a test needs): the STATE/inbound queue, {@link Receiving}, its
 * routes on a {@link LocalApi} with the access token. {@link #main} runs one in its own JVM for the crash test.
 */
final class ReceivingAgent implements AutoCloseable {
  final Receiving receiving;
  final LocalApi api;
  final String token;

  private ReceivingAgent(Receiving receiving, LocalApi api, String token) {
    this.receiving = receiving;
    this.api = api;
    this.token = token;
  }

  static AgentConfig config(Path participantDir, Path ca, String gateway, Path state, AgentConfig.Receive receive,
      URI webhookUrl, URI answerUrl) {
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    return new AgentConfig(participantDir, ca, gateway, state, loopback, null, null, receive,
        receive == AgentConfig.Receive.ENDPOINT ? loopback : null, webhookUrl, answerUrl, null);
  }

  static ReceivingAgent start(AgentConfig config, GatewayClient client) throws Exception {
    AccessToken access = AccessToken.loadOrCreate(config.stateDir().resolve("agent.token"));
    String token = Files.readString(config.stateDir().resolve("agent.token"), StandardCharsets.US_ASCII).strip();
    DurableQueue inbound = DurableQueue.open(config.stateDir().resolve(Receiving.INBOUND_DIR));
    Receiving receiving = Receiving.create(config, client,
        config.receive() == AgentConfig.Receive.ENDPOINT ? Receiving.endpointCredentials(config) : null, inbound);
    LocalApi.Builder api = LocalApi.builder(config.listen(), access);
    receiving.addRoutes(api);
    LocalApi started = api.start();
    try {
      receiving.start();
    } catch (Exception e) {
      started.close();
      receiving.close();
      throw e;
    }
    return new ReceivingAgent(receiving, started, token);
  }

  /** The endpoint's address for the gateway's registry (receive ENDPOINT). */
  String endpointAddress() {
    return "localhost:" + receiving.endpointPort();
  }

  URI api(String path) {
    return URI.create("http://127.0.0.1:" + api.port() + path);
  }

  @Override
  public void close() {
    api.close();
    receiving.close();
  }

  /**
   * {@code PARTICIPANT_DIR CA GATEWAY STATE WEBHOOK_URL}: an inbox-receiving agent with a webhook; prints
   * {@code READY} once started and runs until killed.
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path ca = Path.of(args[1]);
    GatewayClient client = SimParticipant.inDirectory(dir, TrustBundle.load(ca)).connect(args[2]).client();
    ReceivingAgent agent = start(config(dir, ca, args[2], Path.of(args[3]), AgentConfig.Receive.INBOX,
        URI.create(args[4]), null), client);
    System.out.println("READY " + agent.api.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
