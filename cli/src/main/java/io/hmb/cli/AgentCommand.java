package io.hmb.cli;

import io.hmb.agent.AgentConfig;
import io.hmb.agent.AgentMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmb agent}: runs the participant agent (前置机) until SIGTERM or Ctrl-C (docs/agent.md). */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = {"Run the participant agent: it holds the participant's keys, speaks hmb.v1 to the gateway over mTLS,",
        "and offers the participant's own systems JSON over HTTP on loopback (docs/agent.md; GET /v1/openapi.json).",
        "Each setting comes from its flag, else its HMB_AGENT_* variable, else --config FILE, else the default",
        "(docs/configuration.md, \"hmb agent\"). It prints where it listens and the file of the access token."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly", "1:could not start (the message says why)", "2:a bad setting"})
public final class AgentCommand implements Callable<Integer> {
  // As serve's: the fields are for picocli's help; the values are read from the parse result (ConfigSources).

  @Option(names = "--keys", paramLabel = "DIR", description = "The participant's directory (signing.key, tls.crt/key, endpoint.crt/key).")
  Path keys;

  @Option(names = "--gateway", paramLabel = "HOST:PORT", description = "The gateway.")
  String gateway;

  @Option(names = "--gateway-ca", paramLabel = "PEM", description = "The gateway's CA (default: DIR/ca.crt, else ca.crt beside DIR).")
  Path gatewayCa;

  @Option(names = "--state", paramLabel = "DIR", description = "The agent's own directory: queues, access token; one agent each.")
  Path state;

  @Option(names = "--listen", paramLabel = "ADDR:PORT", description = "The local API's address (default: 127.0.0.1:"
      + AgentConfig.DEFAULT_PORT + "; off loopback only with HTTPS).")
  String listen;

  @Option(names = "--receive", paramLabel = "HOW", description = "inbox, endpoint or none (default: inbox).")
  String receive;

  @Option(names = "--webhook-url", paramLabel = "URL", description = "Post each received message here.")
  String webhookUrl;

  @Option(names = "--answer-url", paramLabel = "URL", description = "The local system that answers pass-through questions.")
  String answerUrl;

  @Option(names = "--config", paramLabel = "FILE", description = "Read settings from this file (default: $HMB_AGENT_CONFIG, if set).")
  Path configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting of docs/configuration.md's \"hmb agent\" (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(names = "--print-config", description = "Print the effective settings and where each came from, then exit.")
  boolean printConfig;

  @Spec CommandSpec spec;

  /** The environment the settings are read from; a test puts its own. */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws Exception {
    ConfigSources.Loaded<AgentSettings> loaded = ConfigSources.load(ConfigSources.AGENT, configFile, env,
        spec.commandLine().getParseResult(), sets);
    if (printConfig) {
      loaded.print(spec.commandLine().getOut());
      loaded.valid();
      return 0;
    }
    AgentSettings settings = loaded.valid();
    LogLines.use(settings.logFormat);
    AgentMain.run(settings.toConfig(), List.of(), System.out);
    return 0;
  }
}
