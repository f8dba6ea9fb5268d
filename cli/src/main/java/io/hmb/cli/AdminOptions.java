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

  GatewayConfig config() {
    GatewayConfig config = new GatewayConfig().dataDir(dataDir);
    if (jdbcUrl != null) {
      config.jdbcUrl(jdbcUrl).jdbcUser(jdbcUser).jdbcPassword(System.getenv("HMB_JDBC_PASSWORD"));
    }
    return config;
  }

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  /**
   * The gateway's admin door: its running PostgreSQL if it runs, else the embedded one started for this
   * command. A directory {@code serve} never initialised is bad usage (exit 2), not a new gateway.
   */
  /** The data directory, for a command that reads its files only; refused (exit 2) as {@link #open} refuses it. */
  Path initialisedDataDir() {
    try {
      GatewayAdmin.requireInitialised(dataDir);
      return dataDir;
    } catch (GatewayAdmin.NotAGatewayDirectoryException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
  }

  GatewayAdmin open() throws IOException {
    try {
      return GatewayAdmin.open(config(), Clock.systemUTC());
    } catch (GatewayAdmin.NotAGatewayDirectoryException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
  }
}
