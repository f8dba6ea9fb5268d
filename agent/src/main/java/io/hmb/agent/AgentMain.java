package io.hmb.agent;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one agent in this JVM until SIGTERM or Ctrl-C (then it stops the agent and exits 0): {@code ./hmb agent} (which reads its settings through
 * cli's ConfigSources) calls {@link #run}; tests that kill an agent start this class's {@link #main} in a JVM of
 * their own. The first line on stdout says where the local API listens and where the token is:
 * {@code hmb agent: PARTICIPANT listening on http://127.0.0.1:7480 (token in STATE/access.token)}.
 */
public final class AgentMain {
  /** What the started line begins with; the URL follows "listening on ". */
  public static final String STARTED = "hmb agent: ";

  private AgentMain() {}

  /**
   * {@code --keys DIR --gateway HOST:PORT --state DIR [--listen ADDR:PORT] [--gateway-ca FILE]
   * [--receive inbox|endpoint|none] [--call-deadline-ms N]}; a bad argument is one line on stderr and exit 2.
   */
  public static void main(String[] args) throws Exception {
    AgentConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("hmb agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    run(config, List.of(), System.out);
  }

  /** Starts the agent, prints the started line, and blocks until the JVM is asked to stop. */
  public static void run(AgentConfig config, List<Agent.PartFactory> extraParts, PrintStream out) throws Exception {
    Agent agent = Agent.start(config, extraParts);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("hmb agent: stopping"); // stderr: logging may be shut down inside a hook
      agent.close();
      stopped.countDown();
      // A clean stop on SIGTERM exits 0 (the JVM's own status after a signal is 143), as serve's does.
      Runtime.getRuntime().halt(0);
    }, "hmb-agent-shutdown"));
    out.println(STARTED + agent.participant() + " listening on " + agent.url() + " (token in " + agent.tokenFile() + ")");
    out.flush();
    stopped.await();
  }

  static AgentConfig parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    List<String> known = List.of("--keys", "--gateway", "--state", "--listen", "--gateway-ca", "--receive",
        "--call-deadline-ms", "--webhook-url", "--answer-url");
    for (int i = 0; i < args.length; i++) {
      if (!known.contains(args[i])) {
        throw new IllegalArgumentException("unknown argument " + args[i] + "; known: " + known);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      given.put(args[i], args[++i]);
    }
    List<String> missing = new ArrayList<>();
    for (String required : List.of("--keys", "--gateway", "--state")) {
      if (!given.containsKey(required)) {
        missing.add(required);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("missing " + String.join(", ", missing));
    }
    return new AgentConfig(Path.of(given.get("--keys")), given.containsKey("--gateway-ca")
        ? Path.of(given.get("--gateway-ca")) : null, given.get("--gateway"), Path.of(given.get("--state")),
        address(given.getOrDefault("--listen", "127.0.0.1:" + AgentConfig.DEFAULT_PORT)), null, null,
        AgentConfig.Receive.valueOf(given.getOrDefault("--receive", "none").toUpperCase(Locale.ROOT)), null,
        given.containsKey("--webhook-url") ? URI.create(given.get("--webhook-url")) : null,
        given.containsKey("--answer-url") ? URI.create(given.get("--answer-url")) : null,
        given.containsKey("--call-deadline-ms") ? Duration.ofMillis(Long.parseLong(given.get("--call-deadline-ms"))) : null);
  }

  /** {@code 127.0.0.1:7480}, {@code [::1]:7480}, {@code localhost:0}. */
  public static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("an address is HOST:PORT, e.g. 127.0.0.1:7480: " + hostPort);
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the port of " + hostPort + " is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the port of " + hostPort + " is out of range");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host " + host);
    }
  }
}
