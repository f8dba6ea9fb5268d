package io.hmb.cli;

import io.hmb.agent.AgentConfig;
import io.hmb.agent.AgentMain;
import io.hmb.cli.ConfigSources.Setting;
import io.hmb.cli.ConfigSources.Type;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * {@code hmb agent}'s settings as ConfigSources fills them (its flags, {@code HMB_AGENT_*}, {@code --config FILE}),
 * then {@link #toConfig()}: the agent's {@link AgentConfig}. {@link #SETTINGS} is its table, rendered into
 * docs/configuration.md beside serve's.
 */
final class AgentSettings {
  static final String ENV_PREFIX = "HMB_AGENT_";

  Path keys;
  String gateway;
  Path gatewayCa;
  Path state;
  String listen = "127.0.0.1:" + AgentConfig.DEFAULT_PORT;
  Path localTlsCertificate;
  Path localTlsPrivateKey;
  String receive = "inbox";
  String endpointListen = "127.0.0.1:" + AgentConfig.DEFAULT_ENDPOINT_PORT;
  String webhookUrl;
  String answerUrl;
  Duration callDeadline = AgentConfig.DEFAULT_CALL_DEADLINE;
  String logFormat = "text";

  private static Setting<AgentSettings> s(String key, Type type, String flag, String meaning,
      Function<AgentSettings, Object> read, BiConsumer<AgentSettings, Object> write) {
    return new Setting<>(key, type, flag, key, key, false, meaning, read, write, ENV_PREFIX);
  }

  static final List<Setting<AgentSettings>> SETTINGS = List.of(
      s("keys", Type.PATH, "--keys", "The participant's directory: signing.key, tls.crt and tls.key (its client "
          + "certificate), endpoint.crt and endpoint.key if it serves an endpoint; what ./hmb serve --demo writes as "
          + "DATA_DIR/demo/CODE. Readable by the agent's user only.", a -> a.keys, (a, v) -> a.keys = (Path) v),
      s("gateway", Type.STRING, "--gateway", "The gateway's host:port.", a -> a.gateway, (a, v) -> a.gateway = (String) v),
      s("gatewayCa", Type.PATH, "--gateway-ca", "The CA the gateway's certificate must chain to; empty: keys/ca.crt, "
          + "else ca.crt beside the keys directory (the demo's layout).", a -> a.gatewayCa, (a, v) -> a.gatewayCa = (Path) v),
      s("state", Type.PATH, "--state", "The agent's own directory: the outbound and inbound queues, the access token "
          + "(access.token), the webhook secret. One agent per directory.", a -> a.state, (a, v) -> a.state = (Path) v),
      s("listen", Type.STRING, "--listen", "Address of the local API (host:port); off loopback only with localTlsCertificate.",
          a -> a.listen, (a, v) -> a.listen = (String) v),
      s("localTlsCertificate", Type.PATH, null, "Serve the local API over HTTPS with this certificate chain (PEM).",
          a -> a.localTlsCertificate, (a, v) -> a.localTlsCertificate = (Path) v),
      s("localTlsPrivateKey", Type.PATH, null, "The key of localTlsCertificate (PKCS#8 PEM, not encrypted).",
          a -> a.localTlsPrivateKey, (a, v) -> a.localTlsPrivateKey = (Path) v),
      s("receive", Type.STRING, "--receive", "How messages for the participant arrive: inbox (the agent subscribes), "
          + "endpoint (the gateway calls the agent's endpoint) or none (docs/agent.md \"Receiving\").",
          a -> a.receive, (a, v) -> a.receive = (String) v),
      s("endpointListen", Type.STRING, null, "Address of the agent's endpoint when receive is endpoint (host:port).",
          a -> a.endpointListen, (a, v) -> a.endpointListen = (String) v),
      s("webhookUrl", Type.STRING, "--webhook-url", "Where each received message is posted; empty: local systems poll "
          + "GET /v1/inbox.", a -> a.webhookUrl, (a, v) -> a.webhookUrl = (String) v),
      s("answerUrl", Type.STRING, "--answer-url", "The local system's URL that answers pass-through questions (a coverage "
          + "check for an insurer); empty: such a question gets NOT_IMPLEMENTED.", a -> a.answerUrl,
          (a, v) -> a.answerUrl = (String) v),
      s("callDeadline", Type.DURATION, null, "Deadline of a call to the gateway when the local caller names none "
          + "(above 0, at most 60s).", a -> a.callDeadline, (a, v) -> a.callDeadline = (Duration) v),
      s("logFormat", Type.STRING, null, "Log lines as text or json (one object a line), as serve's; they name "
          + "participants, idempotency keys and message ids, never a payload.", a -> a.logFormat,
          (a, v) -> a.logFormat = (String) v));

  /** Every problem at once: what is missing, then what AgentConfig refuses. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (keys == null) {
      problems.add("keys is required: the participant's directory (--keys DIR)");
    } else if (!Files.isDirectory(keys)) {
      problems.add("keys must be a directory holding signing.key, tls.crt and tls.key; " + keys + " is not one");
    }
    if (gateway == null || gateway.isBlank()) {
      problems.add("gateway is required: the gateway's host:port (--gateway HOST:PORT)");
    }
    if (state == null) {
      problems.add("state is required: the agent's own directory (--state DIR)");
    }
    if (!"text".equals(logFormat) && !"json".equals(logFormat)) {
      problems.add("logFormat must be text or json, was \"" + logFormat + "\"");
    }
    if (problems.isEmpty()) {
      try {
        toConfig();
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    return problems;
  }

  AgentConfig toConfig() {
    AgentConfig.Receive how;
    try {
      how = AgentConfig.Receive.valueOf(receive.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("receive must be inbox, endpoint or none, was \"" + receive + "\"");
    }
    return new AgentConfig(keys, gatewayCa, gateway, state, address("listen", listen), localTlsCertificate,
        localTlsPrivateKey, how, how == AgentConfig.Receive.ENDPOINT ? address("endpointListen", endpointListen) : null,
        url("webhookUrl", webhookUrl), url("answerUrl", answerUrl), callDeadline);
  }

  private static java.net.InetSocketAddress address(String key, String value) {
    try {
      return AgentMain.address(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  private static URI url(String key, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return new URI(value);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(key + " must be an http(s) URL");
    }
  }

  Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    for (Setting<AgentSettings> s : SETTINGS) {
      d.put(s.key(), ConfigSources.format(s.type(), s.read().apply(this)));
    }
    return d;
  }
}
