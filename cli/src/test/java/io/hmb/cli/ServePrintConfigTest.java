package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --config FILE --print-config}: the effective settings and their sources; nothing started or written. */
class ServePrintConfigTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  /** {@code hmb ARGS} as the launcher runs it, with {@code env} as serve's environment. */
  static Run hmb(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Hmb.commandLine();
    ((ServeCommand) cl.getSubcommands().get("serve").getCommand()).env = env;
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return new Run(cl.execute(args), out.toString(), err.toString());
  }

  @Test
  void printsTheEffectiveConfigurationWithSourcesAndStartsNothing() throws Exception {
    Path data = tmp.resolve("data");
    Path conf = tmp.resolve("hmb.conf");
    Files.writeString(conf, String.join("\n",
        "# the gateway of Dalian",
        "port = 8443",
        "dataDir = " + data,
        "jdbcUrl = jdbc:postgresql://db:5432/hmb",
        "jdbcUser = hmb_app",
        "jdbcPassword = file-secret",
        "rateLimit.perSecond = 100",
        "auditCheckpointInterval = 10s",
        ""), StandardCharsets.UTF_8);
    Run r = hmb(Map.of("HMB_PORT", "9443", "HMB_JDBC_PASSWORD", "env-secret", "HMB_DELIVERY_MAX_ATTEMPTS", "20"),
        "serve", "--config", conf.toString(), "--print-config", "--metrics-port", "-1", "--set", "pushWorkers=4");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .containsPattern("(?m)^port += 9443 +\\[env HMB_PORT]$")
        .containsPattern("(?m)^metricsPort += -1 +\\[flag --metrics-port]$")
        .containsPattern("(?m)^pushWorkers += 4 +\\[flag --set pushWorkers]$")
        .containsPattern("(?m)^auditCheckpointInterval += PT10S +\\[file .*hmb.conf:8]$")
        .containsPattern("(?m)^rateLimit += 100.0/s burst 4000 +\\[rateLimit.perSecond from file .*hmb.conf:7, "
            + "the rest default]$")
        .containsPattern("(?m)^delivery += .*maxAttempts=20.* +\\[delivery.maxAttempts from env HMB_DELIVERY_MAX_ATTEMPTS, "
            + "the rest default]$")
        .containsPattern("(?m)^jdbcPassword += \\*\\*\\*\\* +\\[env HMB_JDBC_PASSWORD]$")
        .containsPattern("(?m)^database += jdbc:postgresql://db:5432/hmb +\\[file .*hmb.conf:4]$")
        .containsPattern("(?m)^handlerThreads += 16 +\\[default]$")
        .doesNotContain("env-secret").doesNotContain("file-secret");
    assertThat(Files.exists(data)).as("print-config writes nothing").isFalse();
  }

  @Test
  void aBadFileIsAUsageErrorNamingFileLineAndKeyWithEveryProblemAtOnce() throws Exception {
    Path conf = tmp.resolve("bad.conf");
    Files.writeString(conf, "prot = 1\nmetricsPort = -9\ndbPoolSize = lots\n", StandardCharsets.UTF_8);
    for (String mode : new String[] {"--print-config", "--data-dir=" + tmp.resolve("data")}) {
      Run r = hmb(Map.of(), "serve", "--config", conf.toString(), mode);
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
      assertThat(r.err()).startsWith("hmb serve: invalid gateway configuration: ")
          .contains(conf + ":1: unknown key \"prot\" (did you mean port?)")
          .contains(conf + ":3: dbPoolSize must be an integer, was \"lots\"")
          .contains("metricsPort must be -1 (off), 0 (any free port) or a port up to 65535, was -9 (file " + conf + ":2)");
      assertThat(Files.exists(tmp.resolve("data"))).isFalse();
    }
  }

  @Test
  void theConfigFileMayComeFromHmbConfigAndAFlagStillWins() throws Exception {
    Path conf = tmp.resolve("hmb.conf");
    Files.writeString(conf, "port = 8443\nmetricsPort = 9999\n", StandardCharsets.UTF_8);
    Run r = hmb(Map.of("HMB_CONFIG", conf.toString()), "serve", "--print-config", "--port", "7000");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("(?m)^port += 7000 +\\[flag --port]$")
        .containsPattern("(?m)^metricsPort += 9999 +\\[file .*hmb.conf:2]$");
  }

  /** An operator command finds the data directory serve was configured with, from the same sources. */
  @Test
  void operatorCommandsReadTheSameSources() throws Exception {
    Path conf = tmp.resolve("hmb.conf");
    Files.writeString(conf, "dataDir = " + tmp.resolve("from-file") + "\n", StandardCharsets.UTF_8);
    for (Map<String, String> env : List.of(Map.of("HMB_DATA_DIR", tmp.resolve("from-env").toString()),
        Map.of("HMB_CONFIG", conf.toString()))) {
      StringWriter err = new StringWriter();
      CommandLine cl = Hmb.commandLine();
      CommandLine list = cl.getSubcommands().get("participants").getSubcommands().get("list");
      ((AdminOptions) list.getMixins().values().iterator().next()).env = env;
      cl.setErr(new PrintWriter(err));
      assertThat(cl.execute("participants", "list")).as(err.toString()).isEqualTo(2);
      assertThat(err.toString()).contains(env.containsKey("HMB_CONFIG") ? "from-file" : "from-env");
    }
  }

  @Test
  void aSecretOnTheCommandLineIsRefused() {
    Run r = hmb(Map.of(), "serve", "--print-config", "--set", "jdbcPassword=hunter2");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("jdbcPassword is a secret").doesNotContain("hunter2");
  }
}
