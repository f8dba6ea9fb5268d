package io.hmb.cli;

import io.hmb.gateway.audit.AuditVerification;
import io.hmb.gateway.admin.GatewayAdmin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hmb audit verify}: recomputes the audit hash chain and names the first broken row. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Inspect the audit trail.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.PublicKey.class})
public final class AuditCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Recompute the SM3 hash chain over every audit row and the Merkle log over every event, and check "
          + "the log against every checkpoint this node signed (data-dir/audit/checkpoints); report the first thing "
          + "that does not match: a rewritten, removed or truncated event."},
      exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:the trail is intact", "1:the trail was changed"})
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;

    @Override
    public Integer call() throws Exception {
      try (GatewayAdmin gateway = admin.open()) {
        AuditVerification v = gateway.verifyAudit();
        var out = spec.commandLine().getOut();
        if (v.intact()) {
          out.printf("audit trail intact: %d rows chained, %d not yet chained; the log's %d entries match %d signed "
              + "checkpoints, the newest covering %d%n", v.chainedEvents(), v.unchainedEvents(), v.treeSize(),
              v.checkpoints(), v.checkpointSize());
          return 0;
        }
        out.printf("audit trail BROKEN: %s%n", v.firstBreak().get());
        return 1;
      }
    }
  }

  @Command(name = "public-key", mixinStandardHelpOptions = true,
      description = {"Print the audit log's public key (PEM). Participants pin it, as they do ca.crt, to check the "
          + "gateway's signed checkpoints and the proofs that their messages are in the log."},
      exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:printed", "1:this node has not served yet (no key)",
          "2:not a gateway data directory"})
  static final class PublicKey implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;

    @Override
    public Integer call() throws Exception {
      java.nio.file.Path dataDir = admin.initialisedDataDir();
      java.nio.file.Path file = io.hmb.gateway.audit.AuditLogFiles.publicKeyFile(dataDir);
      if (!java.nio.file.Files.exists(file)) {
        spec.commandLine().getErr().println("no audit log key in " + file.getParent() + ": start the gateway once "
            + "(./hmb serve) and it makes one");
        return 1;
      }
      var out = spec.commandLine().getOut();
      out.print(java.nio.file.Files.readString(file));
      out.flush(); // print() does not flush, and the JVM exits right after
      return 0;
    }
  }
}
