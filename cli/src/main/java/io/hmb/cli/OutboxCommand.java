package io.hmb.cli;

import io.hmb.gateway.admin.GatewayAdmin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hmb outbox}: dead letters and re-driving them. */
@Command(name = "outbox", mixinStandardHelpOptions = true, description = "Inspect and re-drive undelivered messages.",
    subcommands = {OutboxCommand.DeadLetters.class, OutboxCommand.Redrive.class})
public final class OutboxCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "dead-letters", mixinStandardHelpOptions = true,
      description = "List dead-lettered messages (a table, or --json).")
  static final class DeadLetters implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Option(names = "--limit", description = "At most this many (default: ${DEFAULT-VALUE}).") int limit = 100;
    @Option(names = "--json", description = "One JSON array of objects instead of the table, for scripts.") boolean json;

    @Override
    public Integer call() throws Exception {
      try (GatewayAdmin gateway = admin.open()) {
        Table table = Table.of("message_id", "sender", "recipient", "type", "attempts", "received", "last_error");
        gateway.deadLetters(limit).forEach(d -> table.row(d.messageId(), d.sender(), d.recipient(), d.messageType(),
            d.attempts(), d.receivedAt(), d.lastError()));
        table.print(spec.commandLine().getOut(), json, "dead-lettered");
        return 0;
      }
    }
  }

  @Command(name = "redrive", mixinStandardHelpOptions = true,
      description = "Put dead-lettered messages back in the outbox with fresh attempts.")
  static final class Redrive implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Parameters(arity = "0..1", description = "The message id; omit with --all.") String messageId;
    @Option(names = "--all", description = "Re-drive every dead-lettered message.") boolean all;

    @Override
    public Integer call() throws Exception {
      if ((messageId == null) == !all) {
        spec.commandLine().getErr().println("give one message id, or --all");
        return 2;
      }
      try (GatewayAdmin gateway = admin.open()) {
        int n = all ? gateway.redriveAll() : gateway.redrive(messageId);
        spec.commandLine().getOut().printf("%d message(s) re-queued%n", n);
        return n == 0 && !all ? 1 : 0;
      }
    }
  }
}
