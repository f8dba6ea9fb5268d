package io.hmb.cli;

import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import io.hmb.gateway.delivery.ForwardMargin;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.ParseResult;

/**
 * The one mapping from an operator's settings to {@link GatewayConfig}: every key of the configuration
 * file, its environment variable, its flag, default and meaning ({@link #SETTINGS}), and the rule that a
 * flag beats the environment, which beats the file, which beats the default. docs/configuration.md is
 * rendered from it ({@link #renderDoc()}).
 *
 * <p>Everything wrong is collected and reported at once: an unknown key or a value that does not parse
 * (with the file and line, the variable or the flag it came from), then every problem
 * {@link GatewayConfig#problems()} finds in the result. Secrets come from the environment or the file,
 * never from a flag ({@code ps} would show them), and no message or listing shows their value.
 *
 * <p>The database credentials from the environment or a flag apply only with a {@code jdbcUrl}, as they
 * always did (a shell may keep {@code HMB_JDBC_PASSWORD} exported while someone tries the embedded
 * database); a file that names them without one is refused by {@link GatewayConfig#problems()}.
 */
final class ConfigSources {
  private ConfigSources() {}

  /** Where a setting's value came from, lowest precedence first. */
  enum Source { DEFAULT, FILE, ENV, FLAG }

  /** A source and the place in it: {@code hmb.conf:12}, {@code HMB_PORT}, {@code --port}. */
  record Origin(Source source, String where) {
    static final Origin DEFAULT = new Origin(Source.DEFAULT, "");

    @Override
    public String toString() {
      return source == Source.DEFAULT ? "default" : source.name().toLowerCase(Locale.ROOT) + " " + where;
    }
  }

  enum Type {
    STRING("text", "text"), INT("integer", "an integer"), BYTES("size", "a size: bytes, or with KiB or MiB"),
    DOUBLE("number", "a number"), BOOLEAN("boolean", "true or false"),
    DURATION("duration", "a duration: 500ms, 5s, 2m, 1h, 1d or ISO-8601 such as PT5S"), PATH("path", "a path"),
    LIST("list", "a comma-separated list");

    /** For the documentation's type column. */
    final String label;
    /** For a message: "port must be an integer". */
    final String expected;

    Type(String label, String expected) {
      this.label = label;
      this.expected = expected;
    }
  }

  /**
   * One operator setting.
   *
   * @param key the file key; the environment variable is derived from it ({@link #env()})
   * @param type how its text is read
   * @param flag the dedicated flag of {@code serve}, or null ({@code --set key=value} works for every key but a secret)
   * @param describeKey the line of {@link GatewayConfig#describe()} that shows it
   * @param setter the GatewayConfig setter it goes through (for the test that every setter has a key)
   * @param secret from the environment or the file only, never shown
   * @param meaning one sentence for docs/configuration.md
   * @param envPrefix what the environment variable starts with: {@code HMB_} (serve), {@code HMB_AGENT_} (agent)
   */
  record Setting<C>(String key, Type type, String flag, String describeKey, String setter, boolean secret, String meaning,
      Function<C, Object> read, BiConsumer<C, Object> write, String envPrefix) {

    /** {@code rateLimit.perSecond} is {@code HMB_RATE_LIMIT_PER_SECOND}; the agent's {@code callDeadline}, {@code HMB_AGENT_CALL_DEADLINE}. */
    String env() {
      return envPrefix + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }
  }

  /**
   * One command's table: its settings, a fresh configuration to write them into, the configuration's own
   * problems and its description (for {@code --print-config}).
   *
   * @param what "gateway" or "agent", for messages
   * @param otherPrefixes environment prefixes of other commands' tables, not reported as unknown here
   */
  record Table<C>(String what, String envPrefix, List<Setting<C>> settings, Supplier<C> fresh,
      Function<C, List<String>> problems, Function<C, Map<String, String>> describe, List<String> otherPrefixes) {

    Map<String, Setting<C>> byKey() {
      return settings.stream().collect(Collectors.toMap(Setting::key, x -> x, (a, b) -> a, LinkedHashMap::new));
    }

    /** The variable that names the configuration file: {@code HMB_CONFIG}, {@code HMB_AGENT_CONFIG}. */
    String configEnv() {
      return envPrefix + "CONFIG";
    }

    /** The dedicated flags of the command. */
    List<String> flags() {
      return settings.stream().map(Setting::flag).filter(f -> f != null).toList();
    }
  }

  /** The environment variable that names the configuration file when there is no {@code --config}. */
  static final String CONFIG_ENV = "HMB_CONFIG";
  /** HMB_ variables that are not settings and are not typos of one. */
  private static final Set<String> NOT_SETTINGS = Set.of(CONFIG_ENV, "HMB_JAVA_OPTS");
  private static final List<String> DATABASE_CREDENTIALS =
      List.of("jdbcUser", "jdbcPassword", "jdbcOwnerUser", "jdbcOwnerPassword");

  private static Setting<GatewayConfig> s(String key, Type type, String flag, String describeKey, String setter,
      String meaning, Function<GatewayConfig, Object> read, BiConsumer<GatewayConfig, Object> write) {
    return new Setting<>(key, type, flag, describeKey, setter, false, meaning, read, write, "HMB_");
  }

  private static Setting<GatewayConfig> secret(String key, String describeKey, String setter, String meaning,
      Function<GatewayConfig, Object> read, BiConsumer<GatewayConfig, Object> write) {
    return new Setting<>(key, Type.STRING, null, describeKey, setter, true, meaning, read, write, "HMB_");
  }

  private static Setting<GatewayConfig> delivery(String key, Type type, String meaning, Function<DeliveryPolicy, Object> read,
      Function<DeliveryPolicy, Function<Object, DeliveryPolicy>> with) {
    return s("delivery." + key, type, null, "delivery", "deliveryPolicy", meaning,
        c -> read.apply(c.deliveryPolicy()), (c, v) -> c.deliveryPolicy(with.apply(c.deliveryPolicy()).apply(v)));
  }

  private static Setting<GatewayConfig> margin(String key, Type type, String meaning, Function<ForwardMargin, Object> read,
      Function<ForwardMargin, Function<Object, ForwardMargin>> with) {
    return s("forwardMargin." + key, type, null, "forwardMargin", "forwardMargin", meaning,
        c -> read.apply(c.forwardMargin()), (c, v) -> c.forwardMargin(with.apply(c.forwardMargin()).apply(v)));
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(Object v) {
    return (List<String>) v;
  }

  /** Every operator setting, in the order the documentation lists them. */
  static final List<Setting<GatewayConfig>> SETTINGS = List.of(
      s("listenAddress", Type.STRING, "--listen", "listenAddress", "listenAddress",
          "Address the gRPC port binds; 0.0.0.0 for every interface.",
          GatewayConfig::listenAddress, (c, v) -> c.listenAddress((String) v)),
      s("port", Type.INT, "--port", "port", "port", "TCP port of the gRPC server; 0 picks a free one.",
          GatewayConfig::port, (c, v) -> c.port((Integer) v)),
      s("tlsNames", Type.LIST, "--tls-name", "tlsNames", "tlsNames",
          "Host names and IP addresses clients dial, for the development server certificate (a name it lacks has it "
              + "re-issued at start where the CA key is); empty: localhost and 127.0.0.1 when it is first made, and "
              + "whatever it names afterwards. Not with tlsCertificate.",
          GatewayConfig::tlsNames, (c, v) -> c.tlsNames(list(v))),
      s("tlsCertificate", Type.PATH, "--tls-certificate", "tlsCertificate", "tlsCertificate",
          "Your server certificate chain (PEM, leaf first) instead of the development CA's; it must carry the SAN URI "
              + "urn:hmb:gateway and serverAuth (docs/operations-certificates.md). Re-read while serving.",
          GatewayConfig::tlsCertificate, (c, v) -> c.tlsCertificate((Path) v)),
      s("tlsPrivateKey", Type.PATH, "--tls-private-key", "tlsPrivateKey", "tlsPrivateKey",
          "The key of tlsCertificate (PEM, PKCS#8 or EC/RSA, not encrypted; keep it readable by the gateway's user only).",
          GatewayConfig::tlsPrivateKey, (c, v) -> c.tlsPrivateKey((Path) v)),
      s("tlsClientCertificate", Type.PATH, null, "tlsClientCertificate", "tlsClientCertificate",
          "The client certificate chain the gateway presents to participants' endpoints (PEM), instead of the "
              + "development CA's; it must carry the SAN URI urn:hmb:gateway and clientAuth. Re-read while serving.",
          GatewayConfig::tlsClientCertificate, (c, v) -> c.tlsClientCertificate((Path) v)),
      s("tlsClientPrivateKey", Type.PATH, null, "tlsClientPrivateKey", "tlsClientPrivateKey",
          "The key of tlsClientCertificate (PEM, not encrypted).",
          GatewayConfig::tlsClientPrivateKey, (c, v) -> c.tlsClientPrivateKey((Path) v)),
      s("tlsParticipantCa", Type.PATH, "--tls-participant-ca", "tlsParticipantCa", "tlsParticipantCa",
          "PEM bundle of the CAs that issue participants' certificates: callers' client certificates and endpoints' "
              + "server certificates must chain to one; empty: the development CA (dataDir/tls/ca.crt). Re-read while serving.",
          GatewayConfig::tlsParticipantCa, (c, v) -> c.tlsParticipantCa((Path) v)),
      s("tlsReloadInterval", Type.DURATION, null, "tlsReloadInterval", "tlsReloadInterval",
          "How often the certificate, key and CA bundle are read again; a changed file that passes the start-up checks "
              + "is used for new connections (100 ms to 1 hour).",
          GatewayConfig::tlsReloadInterval, (c, v) -> c.tlsReloadInterval((Duration) v)),
      s("dataDir", Type.PATH, "--data-dir", "dataDir", "dataDir",
          "Directory of the development CA, the TLS keys, the audit log key and the embedded database.",
          GatewayConfig::dataDir, (c, v) -> c.dataDir((Path) v)),
      s("jdbcUrl", Type.STRING, "--jdbc-url", "database", "jdbcUrl",
          "A PostgreSQL server (jdbc:postgresql://host:port/db) instead of the embedded database.",
          GatewayConfig::jdbcUrl, (c, v) -> c.jdbcUrl((String) v)),
      s("jdbcUser", Type.STRING, "--jdbc-user", "jdbcUser", "jdbcUser",
          "Database role the gateway serves as on jdbcUrl (docs/security.md, \"Database roles\").",
          GatewayConfig::jdbcUser, (c, v) -> c.jdbcUser((String) v)),
      secret("jdbcPassword", "jdbcPassword", "jdbcPassword", "Password of jdbcUser. Secret: environment or file only.",
          GatewayConfig::jdbcPassword, (c, v) -> c.jdbcPassword((String) v)),
      s("jdbcOwnerUser", Type.STRING, null, "jdbcOwner", "jdbcOwner",
          "Schema owner that runs the migrations on jdbcUrl; empty: jdbcUser runs them.",
          GatewayConfig::jdbcOwnerUser, (c, v) -> c.jdbcOwner((String) v, c.database().ownerPassword())),
      secret("jdbcOwnerPassword", "jdbcOwner", "jdbcOwner", "Password of jdbcOwnerUser. Secret: environment or file only.",
          c -> c.database().ownerPassword(), (c, v) -> c.jdbcOwner(c.jdbcOwnerUser(), (String) v)),
      s("dbPoolSize", Type.INT, null, "dbPoolSize", "dbPoolSize", "Connections in the gateway's database pool (1 to 200).",
          GatewayConfig::dbPoolSize, (c, v) -> c.dbPoolSize((Integer) v)),
      s("dbSocketTimeout", Type.DURATION, null, "dbSocketTimeout", "dbSocketTimeout",
          "Longest one database round trip may take before the call gets GATEWAY_UNAVAILABLE, above all a commit "
              + "waiting for a synchronous standby that is gone (whole seconds, 1 s to 1 h; docs/reliability.md).",
          GatewayConfig::dbSocketTimeout, (c, v) -> c.dbSocketTimeout((Duration) v)),
      s("asyncCommitForQuestions", Type.BOOLEAN, "--async-commit-for-questions", "asyncCommitForQuestions",
          "asyncCommitForQuestions",
          "Commit the records of questions (coverage, insured status, non-binding quotes) without waiting for the "
              + "disk; a database crash may lose the last ~0.6 s of them, never a deduction, settlement or claim "
              + "(docs/performance.md).",
          GatewayConfig::asyncCommitForQuestions, (c, v) -> c.asyncCommitForQuestions((Boolean) v)),
      s("groupCommit", Type.BOOLEAN, null, "groupCommit", "groupCommit",
          "Concurrent admissions and answers share one transaction and one disk flush; each caller is still "
              + "answered only after that commit (docs/performance.md). Off: each record commits alone.",
          GatewayConfig::groupCommit, (c, v) -> c.groupCommit((Boolean) v)),
      s("maxEnvelopeBytes", Type.BYTES, null, "maxEnvelopeBytes", "maxEnvelopeBytes",
          "Largest envelope accepted (1 KiB to 64 MiB); larger ones are refused before any cryptography.",
          GatewayConfig::maxEnvelopeBytes, (c, v) -> c.maxEnvelopeBytes((Integer) v)),
      s("allowedClockSkew", Type.DURATION, null, "allowedClockSkew", "allowedClockSkew",
          "How far a sender's issued-at time may be from the gateway's clock (0 to 15 minutes).",
          GatewayConfig::allowedClockSkew, (c, v) -> c.allowedClockSkew((Duration) v)),
      s("maxCallDeadline", Type.DURATION, null, "maxCallDeadline", "maxCallDeadline",
          "Longest deadline a pass-through caller may set; longer or missing deadlines are refused.",
          GatewayConfig::maxCallDeadline, (c, v) -> c.maxCallDeadline((Duration) v)),
      margin("fraction", Type.DOUBLE,
          "Share of a pass-through caller's remaining time the gateway keeps to answer RECIPIENT_TIMEOUT (0 to 0.5).",
          ForwardMargin::fraction, m -> v -> new ForwardMargin((Double) v, m.floor(), m.ceiling())),
      margin("floor", Type.DURATION, "Least time kept out of a pass-through call's deadline.",
          ForwardMargin::floor, m -> v -> new ForwardMargin(m.fraction(), (Duration) v, m.ceiling())),
      margin("ceiling", Type.DURATION, "Most time kept out of a pass-through call's deadline (below maxCallDeadline).",
          ForwardMargin::ceiling, m -> v -> new ForwardMargin(m.fraction(), m.floor(), (Duration) v)),
      s("handlerThreads", Type.INT, null, "handlerThreads", "handlerThreads",
          "Threads that run calls (their database work blocks), and as many that finish pass-through answers (1 to 1024).",
          GatewayConfig::handlerThreads, (c, v) -> c.handlerThreads((Integer) v)),
      s("unavailableRetryDelay", Type.DURATION, null, "unavailableRetryDelay", "unavailableRetryDelay",
          "The RetryInfo delay of GATEWAY_UNAVAILABLE, which every hmb.v1 call gets while the database is unreachable "
              + "(100 ms to 1 minute).",
          GatewayConfig::unavailableRetryDelay, (c, v) -> c.unavailableRetryDelay((Duration) v)),
      s("shutdownGrace", Type.DURATION, null, "shutdownGrace", "shutdownGrace",
          "How long a stopping gateway lets in-flight calls finish before it cuts them.",
          GatewayConfig::shutdownGrace, (c, v) -> c.shutdownGrace((Duration) v)),
      s("rateLimit.perSecond", Type.DOUBLE, null, "rateLimit", "rateLimit",
          "Messages per second a participant may send to this node, unless its own limit is set "
              + "(participants set-rate-limit).",
          GatewayConfig::rateLimitPerSecond, (c, v) -> c.rateLimit((Double) v, c.rateLimitBurst())),
      s("rateLimit.burst", Type.INT, null, "rateLimit", "rateLimit",
          "Messages a participant may send at once above its rate (the token bucket's size).",
          GatewayConfig::rateLimitBurst, (c, v) -> c.rateLimit(c.rateLimitPerSecond(), (Integer) v)),
      s("pushWorkers", Type.INT, null, "pushWorkers", "pushWorkers",
          "Threads that push store-and-forward messages to recipients' endpoints (1 to 64).",
          GatewayConfig::pushWorkers, (c, v) -> c.pushWorkers((Integer) v)),
      delivery("maxAttempts", Type.INT, "Delivery attempts of a store-and-forward message before it is dead-lettered.",
          DeliveryPolicy::maxAttempts, p -> v -> new DeliveryPolicy((Integer) v, p.initialBackoff(), p.maxBackoff(),
              p.pushTimeout(), p.ackTimeout(), p.pollInterval(), p.batchSize())),
      delivery("initialBackoff", Type.DURATION, "Wait after the first failed attempt; doubled each time, with jitter.",
          DeliveryPolicy::initialBackoff, p -> v -> new DeliveryPolicy(p.maxAttempts(), (Duration) v, p.maxBackoff(),
              p.pushTimeout(), p.ackTimeout(), p.pollInterval(), p.batchSize())),
      delivery("maxBackoff", Type.DURATION, "Longest wait between two attempts.",
          DeliveryPolicy::maxBackoff, p -> v -> new DeliveryPolicy(p.maxAttempts(), p.initialBackoff(), (Duration) v,
              p.pushTimeout(), p.ackTimeout(), p.pollInterval(), p.batchSize())),
      delivery("pushTimeout", Type.DURATION,
          "Deadline of one push to a recipient's endpoint; a push worker's lease is twice this plus 5 s.",
          DeliveryPolicy::pushTimeout, p -> v -> new DeliveryPolicy(p.maxAttempts(), p.initialBackoff(), p.maxBackoff(),
              (Duration) v, p.ackTimeout(), p.pollInterval(), p.batchSize())),
      delivery("ackTimeout", Type.DURATION,
          "How long a message handed to an inbox stream waits for its acknowledgement before it is offered again.",
          DeliveryPolicy::ackTimeout, p -> v -> new DeliveryPolicy(p.maxAttempts(), p.initialBackoff(), p.maxBackoff(),
              p.pushTimeout(), (Duration) v, p.pollInterval(), p.batchSize())),
      delivery("pollInterval", Type.DURATION, "How often push workers and inbox streams look for messages due when nothing woke them.",
          DeliveryPolicy::pollInterval, p -> v -> new DeliveryPolicy(p.maxAttempts(), p.initialBackoff(), p.maxBackoff(),
              p.pushTimeout(), p.ackTimeout(), (Duration) v, p.batchSize())),
      delivery("batchSize", Type.INT, "Messages a push worker claims at a time for one sender and recipient.",
          DeliveryPolicy::batchSize, p -> v -> new DeliveryPolicy(p.maxAttempts(), p.initialBackoff(), p.maxBackoff(),
              p.pushTimeout(), p.ackTimeout(), p.pollInterval(), (Integer) v)),
      s("maxSubscribeStreams", Type.INT, null, "maxSubscribeStreams", "maxSubscribeStreams",
          "Inbox streams (Subscribe) one participant may hold open on this node at once (1 to 1000).",
          GatewayConfig::maxSubscribeStreams, (c, v) -> c.maxSubscribeStreams((Integer) v)),
      s("maxPassThroughInFlight.perSender", Type.INT, null, "maxPassThroughInFlight", "maxPassThroughInFlight",
          "Pass-through calls one sender may have in flight on this node; more are refused RATE_LIMITED (1 to 100000).",
          GatewayConfig::maxPassThroughPerSender,
          (c, v) -> c.maxPassThroughInFlight((Integer) v, c.maxPassThroughPerRecipient())),
      s("maxPassThroughInFlight.perRecipient", Type.INT, null, "maxPassThroughInFlight", "maxPassThroughInFlight",
          "Pass-through calls to one recipient in flight on this node, from all senders (1 to 100000).",
          GatewayConfig::maxPassThroughPerRecipient,
          (c, v) -> c.maxPassThroughInFlight(c.maxPassThroughPerSender(), (Integer) v)),
      s("auditCheckpointInterval", Type.DURATION, null, "auditCheckpointInterval", "auditCheckpointInterval",
          "How often the audit log's root is signed into a checkpoint when it grew (10 ms to 1 hour; docs/audit-log.md).",
          GatewayConfig::auditCheckpointInterval, (c, v) -> c.auditCheckpointInterval((Duration) v)),
      s("metricsPort", Type.INT, "--metrics-port", "metricsPort", "metricsPort",
          "Port of the Prometheus /metrics endpoint; 0 picks a free one, -1 turns it off.",
          GatewayConfig::metricsPort, (c, v) -> c.metricsPort((Integer) v)),
      s("metricsAddress", Type.STRING, "--metrics-address", "metricsAddress", "metricsAddress",
          "Address of /metrics, which has no authentication: loopback unless bound to the monitoring network on purpose.",
          GatewayConfig::metricsAddress, (c, v) -> c.metricsAddress((String) v)),
      s("logFormat", Type.STRING, null, "logFormat", "logFormat",
          "Log lines as text (time level logger message key=value) or json (one JSON object a line, logback's "
              + "JsonEncoder, for a log collector); personal data is in neither.",
          GatewayConfig::logFormat, (c, v) -> c.logFormat((String) v)),
      s("tracing.otlpEndpoint", Type.STRING, null, "tracing", "tracingOtlpEndpoint",
          "OpenTelemetry tracing: an OTLP/HTTP collector (http://127.0.0.1:4318/v1/traces) that gets a span per call "
              + "with the message id and correlation id, never personal data; empty: no tracing.",
          GatewayConfig::tracingOtlpEndpoint, (c, v) -> c.tracingOtlpEndpoint((String) v)),
      s("reflection", Type.BOOLEAN, "--dev", "reflection", "reflection",
          "gRPC server reflection, for grpcurl (development).",
          GatewayConfig::reflection, (c, v) -> c.reflection((Boolean) v)));

  /** GatewayConfig setters that are no operator setting, and why. */
  static final Map<String, String> NOT_OPERATOR_SETTINGS =
      Map.of("deferReadiness", "set by serve --demo, which reports ready after seeding",
          "statementStatistics", "set by bench --pg-statements only: pg_stat_statements costs every statement");

  /** {@code hmb serve}'s table. */
  static final Table<GatewayConfig> GATEWAY = new Table<>("gateway", "HMB_", SETTINGS, GatewayConfig::new,
      GatewayConfig::problems, GatewayConfig::describe, List.of(AgentSettings.ENV_PREFIX));

  /** {@code hmb agent}'s table. */
  static final Table<AgentSettings> AGENT = new Table<>("agent", AgentSettings.ENV_PREFIX, AgentSettings.SETTINGS,
      AgentSettings::new, AgentSettings::problems, AgentSettings::describe, List.of());

  /** The dedicated flags of {@code serve} and the keys they set. */
  static List<String> flags() {
    return GATEWAY.flags();
  }

  /** A value as given, before it is read: its text and where it came from. */
  private record Given(String text, Origin origin) {}

  /** What {@link #load} made of the sources. */
  record Loaded<C>(C config, Map<String, Origin> origins, List<String> notes, List<String> errors, Table<C> table) {

    /** The configuration, or every error and problem at once (exit 2 through PlainErrors). */
    C valid() {
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("invalid " + table.what() + " configuration: " + String.join("; ", errors));
      }
      return config;
    }

    /** Where the value of a key came from. */
    Origin origin(String key) {
      return origins.getOrDefault(key, Origin.DEFAULT);
    }

    /** {@link GatewayConfig#describe()} with where each value came from; secrets are masked there. */
    void print(PrintWriter out) {
      Map<String, String> described = table.describe().apply(config);
      int width = described.keySet().stream().mapToInt(String::length).max().orElse(0);
      out.println("# the effective configuration of hmb " + (table == GATEWAY ? "serve" : table.what())
          + " (secrets masked); the source of each value after it");
      for (Map.Entry<String, String> e : described.entrySet()) {
        out.printf("%-" + width + "s = %s    [%s]%n", e.getKey(), e.getValue(), source(e.getKey()));
      }
      for (String note : notes) {
        out.println("# " + note);
      }
      out.flush();
    }

    private String source(String describeKey) {
      List<Setting<C>> parts = table.settings().stream().filter(x -> x.describeKey().equals(describeKey)).toList();
      if (parts.isEmpty()) {
        return "default (no configuration key for it yet)";
      }
      if (parts.size() == 1) {
        return origin(parts.get(0).key()).toString();
      }
      List<String> set = parts.stream().filter(x -> origin(x.key()).source() != Source.DEFAULT)
          .map(x -> x.key() + " from " + origin(x.key())).toList();
      return set.isEmpty() ? "default" : String.join(", ", set) + (set.size() < parts.size() ? ", the rest default" : "");
    }
  }

  /**
   * The sources of a command: the setting flags it was given, {@code env}, and the configuration file
   * ({@code configFile}, else {@code HMB_CONFIG}).
   */
  static Loaded<GatewayConfig> load(Path configFile, Map<String, String> env, ParseResult parsed, List<String> sets) {
    return load(GATEWAY, configFile, env, parsed, sets);
  }

  /** As {@link #load(Path, Map, ParseResult, List)} for any command's table. */
  static <C> Loaded<C> load(Table<C> table, Path configFile, Map<String, String> env, ParseResult parsed,
      List<String> sets) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (String name : table.flags()) {
      if (parsed.hasMatchedOption(name)) {
        Object value = parsed.matchedOption(name).getValue();
        flags.put(name, value instanceof java.util.Collection<?> c
            ? c.stream().map(String::valueOf).collect(Collectors.joining(",")) : String.valueOf(value));
      }
    }
    Path file = configFile;
    String fromEnv = env.get(table.configEnv());
    if (file == null && fromEnv != null && !fromEnv.isBlank()) {
      file = Path.of(fromEnv.strip());
    }
    return load(table, file, env, flags, sets);
  }

  /**
   * Reads the sources into a configuration, lowest precedence first.
   *
   * @param file the configuration file, or null for none
   * @param env the environment (System.getenv() in production)
   * @param flags serve's dedicated flags that were given, by name (e.g. "--port" to "7443"; lists comma-joined)
   * @param sets the {@code --set key=value} flags, in order
   */
  static Loaded<GatewayConfig> load(Path file, Map<String, String> env, Map<String, String> flags, List<String> sets) {
    return load(GATEWAY, file, env, flags, sets);
  }

  /** As {@link #load(Path, Map, Map, List)} for any command's table. */
  static <C> Loaded<C> load(Table<C> table, Path file, Map<String, String> env, Map<String, String> flags,
      List<String> sets) {
    List<Setting<C>> settings = table.settings();
    Map<String, Setting<C>> byKey = table.byKey();
    List<String> errors = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, Given> chosen = new LinkedHashMap<>();
    if (file != null) {
      readFile(file, byKey, chosen, errors);
    }
    for (Setting<C> setting : settings) {
      String value = env.get(setting.env());
      if (value != null && !value.isBlank()) {
        chosen.put(setting.key(), new Given(value.strip(), new Origin(Source.ENV, setting.env())));
      }
    }
    for (String name : new TreeMap<>(env).keySet()) {
      if (name.startsWith(table.envPrefix()) && !NOT_SETTINGS.contains(name) && !name.equals(table.configEnv())
          && table.otherPrefixes().stream().noneMatch(name::startsWith)
          && settings.stream().noneMatch(x -> x.env().equals(name))) {
        notes.add(name + " is not a setting and was ignored" + suggestion(name,
            settings.stream().map(Setting::env).toList(), x -> x));
      }
    }
    Map<String, String> fromCommandLine = new TreeMap<>();
    for (Map.Entry<String, String> flag : flags.entrySet()) {
      Setting<C> setting = settings.stream().filter(x -> flag.getKey().equals(x.flag())).findFirst()
          .orElseThrow(() -> new IllegalStateException("no setting for the flag " + flag.getKey()));
      fromCommandLine.put(setting.key(), flag.getKey());
      chosen.put(setting.key(), new Given(flag.getValue(), new Origin(Source.FLAG, flag.getKey())));
    }
    for (String set : sets) {
      int eq = set.indexOf('=');
      String key = eq < 0 ? set.strip() : set.substring(0, eq).strip();
      Setting<C> setting = byKey.get(key);
      if (eq < 0) {
        errors.add("--set " + key + ": expected --set KEY=VALUE");
      } else if (setting == null) {
        errors.add("--set: unknown key \"" + printable(key) + "\"" + suggestion(key, byKey.keySet(), x -> x));
      } else if (setting.secret()) {
        errors.add("--set " + key + ": " + key + " is a secret and never comes from the command line (ps shows it); "
            + "put it in " + setting.env() + " or the configuration file");
      } else if (fromCommandLine.containsKey(key)) {
        errors.add("--set " + key + ": " + key + " is already given on the command line by "
            + fromCommandLine.get(key));
      } else {
        fromCommandLine.put(key, "--set " + key);
        chosen.put(key, new Given(set.substring(eq + 1).strip(), new Origin(Source.FLAG, "--set " + key)));
      }
    }
    if (table == GATEWAY && (chosen.get("jdbcUrl") == null || chosen.get("jdbcUrl").text().isEmpty())) {
      for (String key : DATABASE_CREDENTIALS) {
        Given given = chosen.get(key);
        if (given != null && given.origin().source() != Source.FILE) {
          chosen.remove(key);
          notes.add(given.origin().where() + " was ignored: without jdbcUrl the embedded database has its own roles");
        }
      }
    }

    C config = table.fresh().get();
    Map<String, Origin> origins = new LinkedHashMap<>();
    for (Setting<C> setting : settings) {
      Given given = chosen.get(setting.key());
      if (given == null) {
        continue;
      }
      origins.put(setting.key(), given.origin());
      if (given.text().isEmpty()) {
        continue; // an empty value in the file or a --set means the default
      }
      try {
        setting.write().accept(config, parse(setting.type(), given.text()));
      } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
        errors.add(given.origin().where() + ": " + setting.key() + " must be " + setting.type().expected
            + (setting.secret() ? "" : ", was \"" + printable(given.text()) + "\""));
      }
    }
    for (String problem : table.problems().apply(config)) {
      errors.add(problem + from(problem, origins));
    }
    return new Loaded<>(config, origins, notes, errors, table);
  }

  /**
   * " (file hmb.conf:3)": where the keys a problem of {@link GatewayConfig#problems()} names were set, if
   * they were. A problem starts with a setting's name ("port must be"); later words are names only when
   * camelCase or dotted ("... less than maxCallDeadline"), not "any free port".
   */
  private static String from(String problem, Map<String, Origin> origins) {
    String[] words = problem.split("[^A-Za-z0-9.]+");
    List<String> named = new ArrayList<>();
    for (int i = 0; i < words.length; i++) {
      // GatewayConfig says deliveryPolicy.maxAttempts where the key is delivery.maxAttempts
      String w = words[i].replaceAll("\\.+$", "").replace("deliveryPolicy.", "delivery.");
      if (!w.isEmpty() && (i == 0 || !w.equals(w.toLowerCase(Locale.ROOT)))) {
        named.add(w);
      }
    }
    String where = origins.entrySet().stream()
        .filter(e -> e.getValue().source() != Source.DEFAULT && named.stream().anyMatch(
            w -> normalise(e.getKey()).equals(normalise(w)) || e.getKey().startsWith(w + ".")))
        .map(e -> e.getValue().toString()).distinct().collect(Collectors.joining(", "));
    return where.isEmpty() ? "" : " (" + where + ")";
  }

  private static String normalise(String key) {
    return key.replace(".", "").toLowerCase(Locale.ROOT);
  }

  private static void readFile(Path file, Map<String, ? extends Setting<?>> byKey, Map<String, Given> chosen,
      List<String> errors) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("configuration file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("configuration file " + file + " cannot be read: " + e.getMessage());
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1).strip();
      }
      String where = file + ":" + (i + 1);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        errors.add(where + ": expected key = value or a # comment");
        continue;
      }
      String key = line.substring(0, eq).strip();
      Setting<?> setting = byKey.get(key);
      if (setting == null) {
        errors.add(where + ": unknown key \"" + printable(key) + "\"" + suggestion(key, byKey.keySet(), x -> x));
      } else if (seen.containsKey(key)) {
        errors.add(where + ": " + key + " is already set on line " + seen.get(key));
      } else {
        seen.put(key, i + 1);
        chosen.put(key, new Given(line.substring(eq + 1).strip(), new Origin(Source.FILE, where)));
      }
    }
  }

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(KiB|MiB)?");

  static Object parse(Type type, String text) {
    switch (type) {
      case STRING:
        return text;
      case PATH:
        if (text.isEmpty()) {
          throw new IllegalArgumentException("empty");
        }
        return Path.of(text);
      case INT:
        return Integer.parseInt(text);
      case BYTES: {
        Matcher m = BYTES.matcher(text);
        if (!m.matches()) {
          throw new IllegalArgumentException(text);
        }
        long unit = m.group(2) == null ? 1 : m.group(2).equals("KiB") ? 1024 : 1024 * 1024;
        return Math.toIntExact(Long.parseLong(m.group(1)) * unit);
      }
      case DOUBLE: {
        double d = Double.parseDouble(text);
        if (!Double.isFinite(d) || text.endsWith("d") || text.endsWith("f") || text.endsWith("D") || text.endsWith("F")) {
          throw new IllegalArgumentException(text);
        }
        return d;
      }
      case BOOLEAN:
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
          return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException(text);
      case DURATION: {
        if (text.startsWith("P") || text.startsWith("p")) {
          return Duration.parse(text);
        }
        Matcher m = SHORT_DURATION.matcher(text);
        if (!m.matches()) {
          throw new IllegalArgumentException(text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      case LIST:
        return Arrays.stream(text.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
      default:
        throw new IllegalStateException(type.name());
    }
  }

  /** A value in the file's syntax, for the documentation's default column. */
  static String format(Type type, Object value) {
    if (value == null) {
      return "";
    }
    switch (type) {
      case DURATION: {
        long ms = ((Duration) value).toMillis();
        return ms % 3_600_000 == 0 && ms != 0 ? ms / 3_600_000 + "h" : ms % 60_000 == 0 && ms != 0 ? ms / 60_000 + "m"
            : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
      }
      case BYTES: {
        int n = (Integer) value;
        return n % (1024 * 1024) == 0 ? n / (1024 * 1024) + "MiB" : n % 1024 == 0 ? n / 1024 + "KiB" : Integer.toString(n);
      }
      case LIST:
        return String.join(",", list(value));
      case DOUBLE: {
        double d = (Double) value;
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
      }
      default:
        return value.toString();
    }
  }

  /** A key as shown in a message: control characters replaced, at most 60 characters. */
  private static String printable(String s) {
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
  }

  /** " (did you mean port?)" for a near miss, else "". */
  private static <T> String suggestion(String given, java.util.Collection<T> candidates, Function<T, String> name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (T candidate : candidates) {
      String c = name.apply(candidate);
      int d = distance(given.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    return best != null && bestDistance <= Math.max(2, given.length() / 4) ? " (did you mean " + best + "?)" : "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** docs/configuration.md. */
  static String renderDoc() {
    GatewayConfig defaults = new GatewayConfig();
    StringBuilder out = new StringBuilder()
        .append("# Configuration (generated from cli's ConfigSources.java; do not edit by hand)\n\n")
        .append("`hmb serve` takes every setting from four places; the first that has it wins:\n\n")
        .append("1. **a flag**: the dedicated ones below, or `--set KEY=VALUE` for any key (repeatable; like Kafka's ")
        .append("`--override`), except a secret;\n")
        .append("2. **the environment**: `HMB_` and the key in upper case with `_` between words ")
        .append("(`rateLimit.perSecond` is `HMB_RATE_LIMIT_PER_SECOND`); an empty variable counts as unset;\n")
        .append("3. **the configuration file** given by `--config FILE` (or `").append(CONFIG_ENV)
        .append("`): one `key = value` a line, UTF-8, `#` starts a comment line (not a comment after a value), ")
        .append("each key at most once; a relative path is relative to the working directory;\n")
        .append("4. **the default**.\n\n")
        .append("`hmb serve --print-config` prints the result and where each value came from, with secrets masked, ")
        .append("and exits without starting anything (exit 2 with every problem if the configuration cannot start). ")
        .append("Everything wrong is reported at once, as a usage error (exit 2): an unknown key, a value that does not ")
        .append("parse (naming the file and line, the variable or the flag), and every value out of range. ")
        .append("An `HMB_` variable that is no setting is ignored; `--print-config` names it.\n\n")
        .append("**Secrets** (marked below) come from the environment or the file, never from a flag, as `ps` shows a ")
        .append("command line; keep such a file readable by the gateway's user only. No listing or message shows their ")
        .append("value. The database credentials from the environment or a flag apply only with `jdbcUrl` (a shell may ")
        .append("keep `HMB_JDBC_PASSWORD` exported while you try the embedded database); a file that names them ")
        .append("without `jdbcUrl` is refused.\n\n")
        .append("**Values.** Durations as `500ms`, `5s`, `2m`, `1h`, `1d` or ISO-8601 (`PT5S`); sizes in bytes or ")
        .append("with `KiB` or `MiB`; lists comma-separated; booleans `true` or `false`. An empty value in the file ")
        .append("or a `--set` means the default.\n\n")
        .append("```properties\n")
        .append("# hmb.conf\n")
        .append("listenAddress = 0.0.0.0\n")
        .append("tlsCertificate = /etc/hmb/tls/gateway.crt\n")
        .append("tlsPrivateKey = /etc/hmb/tls/gateway.key\n")
        .append("tlsClientCertificate = /etc/hmb/tls/gateway-client.crt\n")
        .append("tlsClientPrivateKey = /etc/hmb/tls/gateway-client.key\n")
        .append("tlsParticipantCa = /etc/hmb/tls/participants-ca.crt\n")
        .append("jdbcUrl = jdbc:postgresql://db:5432/hmb\n")
        .append("jdbcUser = hmb_app\n")
        .append("# jdbcPassword: in HMB_JDBC_PASSWORD\n")
        .append("rateLimit.perSecond = 500\n")
        .append("delivery.maxAttempts = 20\n")
        .append("auditCheckpointInterval = 10s\n")
        .append("```\n\n")
        .append("To regenerate this page: `mvn -pl cli -am test -Dtest=ConfigSourcesTest -Dsurefire.failIfNoSpecifiedTests=false ")
        .append("-Dhmb.docs.write=true`.\n\n")
        .append("| key | environment | flag | type | default | meaning |\n")
        .append("|---|---|---|---|---|---|\n");
    rows(out, SETTINGS, defaults);
    out.append("\n## `hmb agent`\n\n")
        .append("The participant agent (docs/agent.md) reads its settings the same way, from its own flags, `")
        .append(AgentSettings.ENV_PREFIX).append("` variables and the file named by `--config FILE` (or `")
        .append(AGENT.configEnv()).append("`), each key at most once; the gateway's `HMB_` variables are not its. ")
        .append("`keys`, `gateway` and `state` have no default. A bad value is one line and exit 2.\n\n")
        .append("```properties\n")
        .append("# agent.conf\n")
        .append("keys = /etc/hmb-agent/BUREAU-210200\n")
        .append("gateway = gateway.example.org:7443\n")
        .append("state = /var/lib/hmb-agent\n")
        .append("listen = 127.0.0.1:7480\n")
        .append("```\n\n")
        .append("| key | environment | flag | type | default | meaning |\n")
        .append("|---|---|---|---|---|---|\n");
    rows(out, AgentSettings.SETTINGS, new AgentSettings());
    return out.toString();
  }

  private static <C> void rows(StringBuilder out, List<Setting<C>> settings, C defaults) {
    for (Setting<C> setting : settings) {
      String def = format(setting.type(), setting.read().apply(defaults));
      out.append("| `").append(setting.key()).append("`")
          .append(" | `").append(setting.env()).append("`")
          .append(" | ").append(setting.secret() ? "never (secret)"
              : setting.flag() == null ? "`--set " + setting.key() + "=`" : "`" + setting.flag() + "`")
          .append(" | ").append(setting.type().label)
          .append(" | ").append(def.isEmpty() ? "(none)" : "`" + def + "`")
          .append(" | ").append(setting.meaning()).append(" |\n");
    }
  }
}
