package io.hmb.cli;

import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.cli.demo.DemoSetup;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmb serve}: runs one gateway node until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Start the gateway: gRPC over TLS, embedded PostgreSQL unless --jdbc-url is given.",
        "On first start a development CA and TLS certificates are generated in the data directory.",
        "Each setting comes from its flag, else its HMB_* environment variable, else --config FILE, else the default;",
        "docs/configuration.md lists them all, --print-config shows what applies."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly", "1:could not start (the message says why)", "2:bad usage"})
public final class ServeCommand implements Callable<Integer> {
  // The setting flags' fields are for picocli's help; their values are read from the parse result
  // (settings()), so a flag not given leaves the environment and the file their say (ConfigSources).

  @Option(names = "--port", description = "TCP port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = GatewayConfig.DEFAULT_PORT;

  @Option(names = "--listen", description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String listen = GatewayConfig.DEFAULT_LISTEN_ADDRESS;

  @Option(names = "--data-dir", description = "Where the CA, TLS keys and embedded database live (default: ${DEFAULT-VALUE}).")
  Path dataDir = GatewayConfig.DEFAULT_DATA_DIR;

  @Option(names = "--jdbc-url", description = "Use this PostgreSQL server instead of the embedded one.")
  String jdbcUrl;

  @Option(names = "--jdbc-user", description = {"Database role the gateway serves as, for --jdbc-url (password in",
      "HMB_JDBC_PASSWORD). Migrations run as HMB_JDBC_OWNER_USER (password HMB_JDBC_OWNER_PASSWORD) if set."})
  String jdbcUser;

  @Option(names = "--async-commit-for-questions", description = {"Commit the records of questions (coverage, insured",
      "status, non-binding quotes) without waiting for the disk: faster; a database crash may lose the last",
      "~0.6 s of them. Never applies to deductions, settlements or claims. See docs/performance.md."})
  boolean asyncCommitForQuestions;

  @Option(names = "--metrics-port", description = {"Port of the Prometheus /metrics endpoint: -1 turns it off, 0 picks",
      "a free one (default: ${DEFAULT-VALUE}). Two gateways on one host need different ones."})
  int metricsPort = GatewayConfig.DEFAULT_METRICS_PORT;

  @Option(names = "--metrics-address", description = {"Address of the /metrics endpoint, which has no authentication: "
      + "loopback by default, whatever --listen says; bind it to the monitoring network on purpose (default: ${DEFAULT-VALUE})."})
  String metricsAddress = GatewayConfig.DEFAULT_METRICS_ADDRESS;

  @Option(names = "--tls-name", description = {"A host name or IP address clients dial, for the gateway's server",
      "certificate (repeatable; default: localhost and 127.0.0.1 when the certificate is first made). A name the",
      "certificate lacks has it re-issued at start where the CA key is."})
  java.util.List<String> tlsNames = new java.util.ArrayList<>();

  @Option(names = "--tls-certificate", paramLabel = "PEM", description = {"Your server certificate chain instead of",
      "the development CA's: it must carry the SAN URI urn:hmb:gateway (docs/operations-certificates.md)."})
  Path tlsCertificate;

  @Option(names = "--tls-private-key", paramLabel = "PEM", description = "The key of --tls-certificate (not encrypted).")
  Path tlsPrivateKey;

  @Option(names = "--tls-participant-ca", paramLabel = "PEM", description = {"The CAs of participants' certificates",
      "(default: the development CA, DATA_DIR/tls/ca.crt)."})
  Path tlsParticipantCa;

  @Option(names = "--dev", description = "Development mode: enable gRPC server reflection (for grpcurl).")
  boolean dev;

  @Option(names = "--demo", description = {"Seed a demo setup: for Dalian, Wuwei and Liaocheng a bureau, two hospitals,",
      "a lead insurer and a co-insurer, and the cities' products; keys go to DATA_DIR/demo."})
  boolean demo;

  @Option(names = "--config", paramLabel = "FILE", description = {"Read settings from this file: key = value lines, "
      + "# comment lines (docs/configuration.md); flags and HMB_* variables beat it (default: $HMB_CONFIG, if set)."})
  Path configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = {"Any setting of docs/configuration.md, e.g. "
      + "--set rateLimit.perSecond=500 (repeatable); not a secret, which comes from the environment or the file."})
  java.util.List<String> sets = new java.util.ArrayList<>();

  @Option(names = "--print-config", description = {"Print the effective configuration and where each value came from",
      "(secrets masked), then exit without starting anything: 0, or 2 with every problem."})
  boolean printConfig;

  @Spec CommandSpec spec;

  /** The environment the settings are read from; a test puts its own. */
  Map<String, String> env = System.getenv();

  /** Could not start: the message says which port and what to do (exit 1 with one line, PlainErrors). */
  static final class PortInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message) {
      super(message);
    }
  }

  private static void requireFree(String address, int port, String option) {
    if (port == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(address), port));
    } catch (java.io.IOException e) {
      throw new PortInUseException("port " + port + " on " + address + " is taken (another gateway?); choose another "
          + option + " or stop what listens there");
    }
  }

  /** The flags given, the environment and the configuration file, in that order of precedence. */
  ConfigSources.Loaded<GatewayConfig> settings() {
    return ConfigSources.load(configFile, env, spec.commandLine().getParseResult(), sets);
  }

  @Override
  public Integer call() throws Exception {
    // The password comes from the environment or the file, never from the command line (ps would show it);
    // the schema owner, when the migrations are the gateway's to run, likewise (docs/security.md, "Database roles").
    ConfigSources.Loaded<GatewayConfig> loaded = settings();
    if (printConfig) {
      loaded.print(spec.commandLine().getOut());
      loaded.valid();
      return 0;
    }
    // Pre-flight, before anything is started or written: every setting valid, the ports free.
    GatewayConfig config = loaded.valid();
    requireFree(config.listenAddress(), config.port(), "--port");
    if (config.metricsPort() > 0) {
      requireFree(config.metricsAddress(), config.metricsPort(), "--metrics-port");
    }
    LogLines.use(config.logFormat());
    // Health stays NOT_SERVING until the demo's participants exist: a client that waits for SERVING finds them.
    config.deferReadiness(demo);
    Gateway gateway = Gateway.start(config, Clock.systemUTC());
    if (demo) {
      DemoSetup.seed(gateway.admin(), config.dataDir());
    }
    gateway.ready();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // stderr, not the logger: logging may already be shut down inside a shutdown hook.
      System.err.println("hmb: shutting down the gateway (draining in-flight calls)");
      try {
        gateway.close(); // the gateway's own hook may be doing it: close() waits for that one to finish
      } catch (Exception e) {
        System.err.println("hmb: error while stopping: " + e.getMessage());
        Runtime.getRuntime().halt(1);
      }
      // A clean stop on SIGTERM exits 0 as documented (the JVM's own status after a signal is 143).
      Runtime.getRuntime().halt(0);
    }, "hmb-shutdown"));
    gateway.blockUntilShutdown();
    return 0;
  }
}
