package io.hmb.gateway.cli;

import io.hmb.gateway.db.Database;
import io.hmb.gateway.delivery.DeliveryQueue;
import java.time.Instant;
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

  @Command(name = "dead-letters", mixinStandardHelpOptions = true, description = "List dead-lettered messages.")
  static final class DeadLetters implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;
    @Option(names = "--limit", description = "At most this many (default: ${DEFAULT-VALUE}).") int limit = 100;

    @Override
    public Integer call() throws Exception {
      try (Database db = admin.open()) {
        var rows = new DeliveryQueue(AdminOptions.tx(db)).deadLetters(limit);
        var out = spec.commandLine().getOut();
        rows.forEach(d -> out.printf("%s %s -> %s %s attempts=%d received=%s error=%s%n", d.messageId(), d.sender(),
            d.recipient(), d.messageType(), d.attempts(), d.receivedAt(), d.lastError()));
        out.printf("%d dead-lettered%n", rows.size());
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
      try (Database db = admin.open()) {
        int n = new DeliveryQueue(AdminOptions.tx(db)).redrive(all ? null : messageId, Instant.now());
        spec.commandLine().getOut().printf("%d message(s) re-queued%n", n);
        return n == 0 && !all ? 1 : 0;
      }
    }
  }
}
