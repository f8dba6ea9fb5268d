package io.hmb.cli;

import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the gateway's state lives, shared by every operator command (a picocli mixin). */
public final class AdminOptions {
  @Option(names = "--data-dir", description = "The gateway's data directory (default: ${DEFAULT-VALUE}).")
  Path dataDir = GatewayConfig.DEFAULT_DATA_DIR;

  @Option(names = "--jdbc-url", description = "The gateway's PostgreSQL, when not embedded (password in HMB_JDBC_PASSWORD).")
  String jdbcUrl;

  @Option(names = "--jdbc-user", description = "Database user for --jdbc-url.")
  String jdbcUser;

  @Option(names = "--config", paramLabel = "FILE", description = {"The configuration file serve runs with, for its "
      + "dataDir and database (default: $HMB_CONFIG, if set); flags and HMB_* variables beat it as they do for serve."})
  Path configFile;

  /** The environment the settings are read from; a test puts its own. */
  java.util.Map<String, String> env = System.getenv();

  /**
   * The gateway's settings as serve reads them (ConfigSources: these flags, HMB_* variables, the file), so
   * an operator command finds the data directory and database the running gateway uses.
   */
  GatewayConfig config() {
    return ConfigSources.load(configFile, env, command.commandLine().getParseResult(), java.util.List.of()).valid();
  }

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  /** The data directory, for a command that reads its files only; refused (exit 2) as {@link #open} refuses it. */
  Path initialisedDataDir() {
    try {
      Path dir = config().dataDir();
      GatewayAdmin.requireInitialised(dir);
      return dir;
    } catch (GatewayAdmin.NotAGatewayDirectoryException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
  }

  /**
   * The gateway's admin door: its running PostgreSQL if it runs, else the embedded one started for this
   * command. A directory {@code serve} never initialised is bad usage (exit 2), not a new gateway.
   */
  GatewayAdmin open() throws IOException {
    try {
      return GatewayAdmin.open(config(), Clock.systemUTC());
    } catch (GatewayAdmin.NotAGatewayDirectoryException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
  }
}
