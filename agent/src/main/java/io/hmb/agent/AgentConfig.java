package io.hmb.agent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything an agent is started with, validated once here (HikariCP's habit: a bad setting fails the start
 * with its name, never a surprise later). {@code ./hmb agent} fills it from flags, {@code HMB_AGENT_*} and a
 * config file (cli's ConfigSources); tests build it directly.
 *
 * @param keysDir the participant's directory: {@code signing.key}, {@code tls.crt}/{@code tls.key} (its client
 *     certificate), {@code endpoint.crt}/{@code endpoint.key} (its endpoint certificate, if it serves one)
 * @param gatewayCa the CA the gateway's certificate must chain to
 * @param gateway the gateway's {@code host:port}
 * @param stateDir the agent's own store (queues, the access token, the webhook secret); one agent per directory
 * @param listen the local API's address; loopback unless {@code localTlsCertificate} is set
 * @param localTlsCertificate with {@code localTlsPrivateKey}: serve the local API over HTTPS (PEM); else null
 * @param receive how messages for this participant arrive: its inbox, an endpoint the gateway dials, or not at all
 * @param endpointListen where the endpoint listens, when {@code receive} is ENDPOINT
 * @param webhookUrl where each received message is posted; null: local systems poll {@code GET /v1/inbox}
 * @param answerUrl the local system's URL that answers pass-through questions (a coverage check for an
 *     insurer); null: this participant answers none, and such a question gets NOT_IMPLEMENTED. Needs
 *     {@code receive} ENDPOINT: the gateway forwards questions only to an endpoint
 * @param callDeadline the deadline of a call to the gateway when the local caller names none
 */
public record AgentConfig(Path keysDir, Path gatewayCa, String gateway, Path stateDir, InetSocketAddress listen,
    Path localTlsCertificate, Path localTlsPrivateKey, Receive receive, InetSocketAddress endpointListen,
    URI webhookUrl, URI answerUrl, Duration callDeadline) {

  /** How received messages reach the agent. */
  public enum Receive { INBOX, ENDPOINT, NONE }

  public static final int DEFAULT_PORT = 7480;
  public static final int DEFAULT_ENDPOINT_PORT = 7481;
  public static final Duration DEFAULT_CALL_DEADLINE = Duration.ofSeconds(10);

  public AgentConfig {
    Objects.requireNonNull(keysDir, "keysDir");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(receive, "receive");
    if (gatewayCa == null) {
      // ./hmb serve --demo writes DEMO/CODE/ beside DEMO/ca.crt; a participant's own directory may hold it.
      gatewayCa = Files.exists(keysDir.resolve("ca.crt")) ? keysDir.resolve("ca.crt")
          : keysDir.toAbsolutePath().getParent().resolve("ca.crt");
    }
    if ((localTlsCertificate == null) != (localTlsPrivateKey == null)) {
      throw new IllegalArgumentException("localTlsCertificate and localTlsPrivateKey go together: set both or neither");
    }
    if (receive == Receive.ENDPOINT && endpointListen == null) {
      endpointListen = new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_ENDPOINT_PORT);
    }
    for (URI url : new URI[] {webhookUrl, answerUrl}) {
      if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
        throw new IllegalArgumentException("not an http(s) URL: " + url);
      }
    }
    if (answerUrl != null && receive != Receive.ENDPOINT) {
      // The gateway forwards a pass-through question only to an endpoint it dials; an inbox carries none.
      throw new IllegalArgumentException("answerUrl needs receive=ENDPOINT (was " + receive + "): the gateway "
          + "forwards questions only to an endpoint it dials, never to an inbox");
    }
    if (callDeadline == null) {
      callDeadline = DEFAULT_CALL_DEADLINE;
    }
    if (callDeadline.isNegative() || callDeadline.isZero() || callDeadline.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new IllegalArgumentException("callDeadline must be above 0 and at most 60s (the gateway's longest): "
          + callDeadline);
    }
  }

  /** The smallest useful config: inbox receiving, loopback on the default port, no webhook, no answers. */
  public static AgentConfig of(Path keysDir, String gateway, Path stateDir) {
    return new AgentConfig(keysDir, null, gateway, stateDir,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT), null, null, Receive.INBOX, null,
        null, null, null);
  }
}
