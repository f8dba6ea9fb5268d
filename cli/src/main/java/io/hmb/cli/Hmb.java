package io.hmb.cli;

import io.hmb.bench.BenchCommand;
import io.hmb.cli.demo.DemoCommand;
import io.hmb.conformance.ConformanceCommand;
import io.hmb.conformance.sim.SimulateCommand;
import io.hmb.gateway.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code hmb} command line: one class per subcommand, each in the module that owns it. */
@Command(name = "hmb", mixinStandardHelpOptions = true, versionProvider = Hmb.VersionProvider.class,
    description = "Gateway for city-customised supplementary medical insurance (惠民保).",
    subcommands = {ServeCommand.class, HealthCommand.class, ParticipantsCommand.class, ProductsCommand.class,
        OutboxCommand.class, AuditCommand.class, BackupCommand.class, RestoreCommand.class, BenefitCommand.class,
        MapCommand.class, AgentCommand.class, ConformanceCommand.class, SimulateCommand.class, DemoCommand.class, BenchCommand.class,
        VersionCommand.class,
        HelpCommand.class})
public final class Hmb implements Runnable {
  @Spec CommandSpec spec;

  @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "More detail: on an error the whole stack trace, not only the one-line message; for demo, the "
          + "gateway's and the simulators' INFO logs.")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Hmb(), new Factory()).setExecutionExceptionHandler(new PlainErrors());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Builds the commands; {@code simulate} gets what registers a simulator's endpoint with the gateway. */
  static final class Factory implements CommandLine.IFactory {
    private final CommandLine.IFactory defaults = CommandLine.defaultFactory();

    @Override
    public <K> K create(Class<K> type) throws Exception {
      return type == SimulateCommand.class
          ? type.cast(new SimulateCommand(new RegistryEndpointRegistrar(System.getenv()))) : defaults.create(type);
    }
  }

  /** Feeds {@code --version}. */
  public static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"hmb " + Version.current()};
    }
  }
}
