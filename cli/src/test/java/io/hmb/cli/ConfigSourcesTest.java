package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.cli.ConfigSources.Loaded;
import io.hmb.cli.ConfigSources.Setting;
import io.hmb.cli.ConfigSources.Source;
import io.hmb.gateway.config.GatewayConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one mapping from file, environment and flags to GatewayConfig: precedence, each error, and the doc. */
class ConfigSourcesTest {
  @TempDir Path tmp;

  private Path file(String... lines) throws Exception {
    Path f = tmp.resolve("hmb.conf");
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return f;
  }

  private static Loaded<GatewayConfig> load(Path file, Map<String, String> env, Map<String, String> flags, String... sets) {
    return ConfigSources.load(file, env, flags, List.of(sets));
  }

  @Test
  void aFlagBeatsTheEnvironmentWhichBeatsTheFileWhichBeatsTheDefault() throws Exception {
    Path f = file("# a comment", "", "port = 1001", "rateLimit.perSecond = 100", "  dbPoolSize=5  ",
        "auditCheckpointInterval = PT2S", "delivery.pushTimeout = 3s");
    Loaded<GatewayConfig> loaded = load(f, Map.of("HMB_PORT", "1002", "HMB_RATE_LIMIT_PER_SECOND", "200", "HMB_PUSH_WORKERS", "3"),
        Map.of("--port", "1003"), "delivery.maxAttempts=7");
    GatewayConfig c = loaded.valid();
    assertThat(c.port()).isEqualTo(1003);
    assertThat(c.rateLimitPerSecond()).isEqualTo(200);
    assertThat(c.rateLimitBurst()).isEqualTo(GatewayConfig.DEFAULT_RATE_LIMIT_BURST);
    assertThat(c.pushWorkers()).isEqualTo(3);
    assertThat(c.dbPoolSize()).isEqualTo(5);
    assertThat(c.auditCheckpointInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.deliveryPolicy().pushTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.deliveryPolicy().maxAttempts()).isEqualTo(7);
    assertThat(c.deliveryPolicy().batchSize()).isEqualTo(io.hmb.gateway.delivery.DeliveryPolicy.DEFAULTS.batchSize());
    assertThat(c.handlerThreads()).isEqualTo(GatewayConfig.DEFAULT_HANDLER_THREADS);

    assertThat(loaded.origin("port").toString()).isEqualTo("flag --port");
    assertThat(loaded.origin("rateLimit.perSecond").toString()).isEqualTo("env HMB_RATE_LIMIT_PER_SECOND");
    assertThat(loaded.origin("dbPoolSize").toString()).isEqualTo("file " + f + ":5");
    assertThat(loaded.origin("delivery.maxAttempts").toString()).isEqualTo("flag --set delivery.maxAttempts");
    assertThat(loaded.origin("handlerThreads").source()).isEqualTo(Source.DEFAULT);

    String printed = print(loaded);
    assertThat(printed).containsPattern("port += 1003 +\\[flag --port]")
        .containsPattern("dbPoolSize += 5 +\\[file .*hmb.conf:5]")
        .containsPattern("handlerThreads += 16 +\\[default]")
        .contains("[rateLimit.perSecond from env HMB_RATE_LIMIT_PER_SECOND, the rest default]")
        .contains("[delivery.maxAttempts from flag --set delivery.maxAttempts, delivery.pushTimeout from file " + f
            + ":7, the rest default]");
  }

  @Test
  void everyValueTypeReadsItsForms() throws Exception {
    GatewayConfig c = load(file("allowedClockSkew = 90s", "shutdownGrace = 500ms", "maxCallDeadline = 2m",
        "forwardMargin.fraction = 0.2", "forwardMargin.ceiling = PT1.5S", "maxEnvelopeBytes = 512KiB",
        "asyncCommitForQuestions = TRUE", "tlsNames = gw.example.org, 10.0.0.7", "dataDir = /var/lib/hmb",
        "listenAddress = 0.0.0.0"), Map.of(), Map.of()).valid();
    assertThat(c.allowedClockSkew()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.maxCallDeadline()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.forwardMargin().fraction()).isEqualTo(0.2);
    assertThat(c.forwardMargin().ceiling()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.maxEnvelopeBytes()).isEqualTo(512 * 1024);
    assertThat(c.asyncCommitForQuestions()).isTrue();
    assertThat(c.tlsNames()).containsExactly("gw.example.org", "10.0.0.7");
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/hmb"));
    assertThat(c.listenAddress()).isEqualTo("0.0.0.0");
  }

  @Test
  void everyErrorIsListedAtOnceWithTheFileLineAndKey() throws Exception {
    Path f = file("prot = 7443", "port = many", "shutdownGrace = 5 seconds", "this line has no equals sign",
        "dbPoolSize = 500", "dbPoolSize = 6", "reflection = yes", "maxEnvelopeBytes = 4GiB", "port = 70000");
    Loaded<GatewayConfig> loaded = load(f, Map.of("HMB_METRICS_PORT", "-7"), Map.of());
    assertThat(loaded.errors()).containsExactly(
        f + ":1: unknown key \"prot\" (did you mean port?)",
        f + ":4: expected key = value or a # comment",
        f + ":6: dbPoolSize is already set on line 5",
        f + ":9: port is already set on line 2",
        f + ":2: port must be an integer, was \"many\"",
        f + ":8: maxEnvelopeBytes must be a size: bytes, or with KiB or MiB, was \"4GiB\"",
        f + ":3: shutdownGrace must be a duration: 500ms, 5s, 2m, 1h, 1d or ISO-8601 such as PT5S, was \"5 seconds\"",
        f + ":7: reflection must be true or false, was \"yes\"",
        "dbPoolSize must be 1 to 200, was 500 (file " + f + ":5)",
        "metricsPort must be -1 (off), 0 (any free port) or a port up to 65535, was -7 (env HMB_METRICS_PORT)");
    assertThatThrownBy(loaded::valid).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid gateway configuration: " + f + ":1: unknown key \"prot\"")
        .hasMessageContaining("; metricsPort must be");
  }

  @Test
  void aBadValueFromTheEnvironmentOrAFlagNamesItsVariableOrFlag() {
    Loaded<GatewayConfig> loaded = load(null, Map.of("HMB_AUDIT_CHECKPOINT_INTERVAL", "soon"), Map.of(), "handlerThreads=1.5",
        "nosuch=1", "portt=1", "rateLimit.burst");
    assertThat(loaded.errors()).containsExactly(
        "--set: unknown key \"nosuch\"",
        "--set: unknown key \"portt\" (did you mean port?)",
        "--set rateLimit.burst: expected --set KEY=VALUE",
        "--set handlerThreads: handlerThreads must be an integer, was \"1.5\"",
        "HMB_AUDIT_CHECKPOINT_INTERVAL: auditCheckpointInterval must be a duration: 500ms, 5s, 2m, 1h, 1d or ISO-8601 "
            + "such as PT5S, was \"soon\"");
  }

  @Test
  void aKeyGivenTwiceOnTheCommandLineIsRefused() {
    assertThat(load(null, Map.of(), Map.of("--port", "1"), "port=2").errors())
        .containsExactly("--set port: port is already given on the command line by --port");
  }

  @Test
  void aMissingFileIsAUsageError() {
    assertThatThrownBy(() -> load(tmp.resolve("nope.conf"), Map.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("configuration file " + tmp.resolve("nope.conf") + " does not exist");
  }

  @Test
  void aSecretNeverComesFromAFlagAndIsNeverShown() throws Exception {
    Loaded<GatewayConfig> flag = load(null, Map.of(), Map.of("--jdbc-url", "jdbc:postgresql://db/hmb"), "jdbcPassword=hunter2");
    assertThat(flag.errors()).containsExactly("--set jdbcPassword: jdbcPassword is a secret and never comes from the "
        + "command line (ps shows it); put it in HMB_JDBC_PASSWORD or the configuration file");
    assertThat(String.join(";", flag.errors())).doesNotContain("hunter2");

    Path f = file("jdbcUrl = jdbc:postgresql://db/hmb", "jdbcUser = hmb_app", "jdbcPassword = from-the-file",
        "jdbcOwnerUser = hmb_owner");
    Loaded<GatewayConfig> loaded = load(f, Map.of("HMB_JDBC_OWNER_PASSWORD", "owner-secret"), Map.of());
    GatewayConfig c = loaded.valid();
    assertThat(c.jdbcPassword()).isEqualTo("from-the-file");
    assertThat(c.database().ownerUser()).isEqualTo("hmb_owner");
    assertThat(c.database().ownerPassword()).isEqualTo("owner-secret");
    String printed = print(loaded);
    assertThat(printed).doesNotContain("from-the-file").doesNotContain("owner-secret")
        .containsPattern("jdbcPassword += \\*\\*\\*\\* +\\[file .*hmb.conf:3]")
        .contains("hmb_owner (password ****)")
        .contains("[jdbcOwnerUser from file " + f + ":4, jdbcOwnerPassword from env HMB_JDBC_OWNER_PASSWORD]");
  }

  @Test
  void environmentCredentialsWithoutAJdbcUrlAreIgnoredAsBeforeButAFileThatNamesThemIsRefused() throws Exception {
    Loaded<GatewayConfig> env = load(null, Map.of("HMB_JDBC_PASSWORD", "pw", "HMB_JDBC_OWNER_USER", "owner"),
        Map.of("--jdbc-user", "hmb_app"));
    assertThat(env.errors()).isEmpty();
    assertThat(env.config().usesEmbeddedDatabase()).isTrue();
    assertThat(env.config().jdbcPassword()).isNull();
    assertThat(env.notes()).containsExactly(
        "--jdbc-user was ignored: without jdbcUrl the embedded database has its own roles",
        "HMB_JDBC_PASSWORD was ignored: without jdbcUrl the embedded database has its own roles",
        "HMB_JDBC_OWNER_USER was ignored: without jdbcUrl the embedded database has its own roles");

    Loaded<GatewayConfig> fromFile = load(file("jdbcUser = hmb_app"), Map.of(), Map.of());
    assertThat(fromFile.errors()).containsExactly("jdbcUser and jdbcPassword apply only with jdbcUrl (file "
        + tmp.resolve("hmb.conf") + ":1)");
  }

  @Test
  void anEmptyValueMeansTheDefaultAndABlankVariableIsUnset() throws Exception {
    Loaded<GatewayConfig> loaded = load(file("port = 1001", "metricsPort = 1002"), Map.of("HMB_PORT", " ", "HMB_METRICS_PORT", "3"),
        Map.of(), "metricsPort=");
    GatewayConfig c = loaded.valid();
    assertThat(c.port()).isEqualTo(1001);
    assertThat(c.metricsPort()).isEqualTo(GatewayConfig.DEFAULT_METRICS_PORT);
    assertThat(loaded.origin("metricsPort").toString()).isEqualTo("flag --set metricsPort");
  }

  @Test
  void anHmbVariableThatIsNoSettingIsNamedNotRefused() {
    Loaded<GatewayConfig> loaded = load(null, Map.of("HMB_PROT", "1", "HMB_JAVA_OPTS", "-Xmx1g", "HMB_CONFIG", "x", "PATH", "/bin"),
        Map.of());
    assertThat(loaded.errors()).isEmpty();
    assertThat(loaded.notes()).containsExactly("HMB_PROT is not a setting and was ignored (did you mean HMB_PORT?)");
  }

  @Test
  void theAgentsTableReadsItsOwnVariablesAndServeIgnoresThem() throws Exception {
    Path f = file("gateway = gw:1", "listen = 127.0.0.1:1");
    var loaded = ConfigSources.load(ConfigSources.AGENT, f, Map.of("HMB_AGENT_LISTEN", "127.0.0.1:2",
        "HMB_AGENT_STATE", "/tmp/s", "HMB_AGENT_KESY", "x", "HMB_PORT", "7443"), Map.of("--keys", tmp.toString()), List.of());
    AgentSettings a = loaded.valid();
    assertThat(a.gateway).isEqualTo("gw:1");
    assertThat(a.listen).isEqualTo("127.0.0.1:2");
    assertThat(a.keys).isEqualTo(tmp);
    assertThat(loaded.origin("listen").toString()).isEqualTo("env HMB_AGENT_LISTEN");
    assertThat(loaded.notes()).containsExactly("HMB_AGENT_KESY is not a setting and was ignored (did you mean HMB_AGENT_KEYS?)");
    assertThat(a.toConfig().listen().getPort()).isEqualTo(2);

    assertThat(load(null, Map.of("HMB_AGENT_KEYS", "/k"), Map.of()).notes()).isEmpty();
    assertThat(ConfigSources.load(ConfigSources.AGENT, file("port = 1"), Map.of(), Map.of(), List.of()).errors())
        .first().asString().contains("unknown key \"port\"");
  }

  @Test
  void environmentNamesFollowTheKeys() {
    Map<String, String> env = ConfigSources.SETTINGS.stream().collect(Collectors.toMap(Setting::key, Setting::env));
    assertThat(env).containsEntry("port", "HMB_PORT")
        .containsEntry("rateLimit.perSecond", "HMB_RATE_LIMIT_PER_SECOND")
        .containsEntry("jdbcPassword", "HMB_JDBC_PASSWORD")
        .containsEntry("jdbcOwnerUser", "HMB_JDBC_OWNER_USER")
        .containsEntry("jdbcOwnerPassword", "HMB_JDBC_OWNER_PASSWORD")
        .containsEntry("delivery.maxAttempts", "HMB_DELIVERY_MAX_ATTEMPTS");
    assertThat(new HashSet<>(env.values())).hasSameSizeAs(env.values());
  }

  /** A setting added to GatewayConfig fails here until it has a key (or a reason it is none). */
  @Test
  void everyGatewayConfigSetterAndDescribedValueHasAKey() {
    Set<String> setters = Arrays.stream(GatewayConfig.class.getMethods())
        .filter(m -> m.getReturnType() == GatewayConfig.class && m.getParameterCount() > 0
            && !Modifier.isStatic(m.getModifiers()))
        .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
    Set<String> covered = new TreeSet<>(ConfigSources.SETTINGS.stream().map(Setting::setter).toList());
    covered.addAll(ConfigSources.NOT_OPERATOR_SETTINGS.keySet());
    assertThat(covered).as("GatewayConfig setters without a ConfigSources key").isEqualTo(setters);
    Set<String> described = ConfigSources.SETTINGS.stream().map(Setting::describeKey)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(described).as("GatewayConfig.describe() lines without a ConfigSources key")
        .isEqualTo(new TreeSet<>(new GatewayConfig().describe().keySet()));
  }

  /** What the doc shows as the default reads back as the default. */
  @Test
  void everyDefaultRoundTrips() {
    GatewayConfig defaults = new GatewayConfig();
    for (Setting<GatewayConfig> s : ConfigSources.SETTINGS) {
      Object value = s.read().apply(defaults);
      if (value != null) {
        assertThat(ConfigSources.parse(s.type(), ConfigSources.format(s.type(), value))).as(s.key()).isEqualTo(value);
      }
    }
  }

  @Test
  void committedDocMatchesTheMapping() throws Exception {
    Path doc = Path.of("../docs/configuration.md");
    if (Boolean.getBoolean("hmb.docs.write")) {
      Files.writeString(doc, ConfigSources.renderDoc(), StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(doc)).as("docs/configuration.md is missing: run with -Dhmb.docs.write=true").isTrue();
    assertThat(Files.readString(doc, StandardCharsets.UTF_8))
        .as("docs/configuration.md is stale: run mvn -pl cli -am test -Dtest=ConfigSourcesTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dhmb.docs.write=true")
        .isEqualTo(ConfigSources.renderDoc());
  }

  private static String print(Loaded<?> loaded) {
    StringWriter out = new StringWriter();
    loaded.print(new PrintWriter(out));
    return out.toString();
  }
}
