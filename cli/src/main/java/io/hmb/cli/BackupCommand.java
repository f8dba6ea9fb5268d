package io.hmb.cli;

import io.hmb.gateway.backup.ColdBackup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmb backup --to FILE}: a cold copy of the whole data directory (docs/operations.md, "Backup and restore"). */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Copy the gateway's data directory (embedded database, CA and TLS keys, audit log key and "
        + "checkpoints, database passwords) into one archive readable by its owner only (0600). The gateway must be "
        + "stopped: the copy holds the data directory's lock, so no gateway starts meanwhile. With --jdbc-url the "
        + "database is yours to back up (pg_dump); the archive then holds the files only."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "1:a gateway runs on the directory, or the archive could not be written",
        "2:not a gateway data directory, or the file exists"})
final class BackupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin AdminOptions admin;

  @Option(names = "--to", required = true, paramLabel = "FILE", description = "The archive to write; must not exist.")
  Path to;

  @Override
  public Integer call() throws Exception {
    Path dataDir = admin.initialisedDataDir();
    if (java.nio.file.Files.exists(to)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), to + " exists; give a new file name "
          + "(a backup never overwrites)");
    }
    ColdBackup.Summary s = ColdBackup.write(dataDir, to);
    var out = spec.commandLine().getOut();
    out.printf("backed up %s: %d files, %d bytes, to %s (mode 0600: it holds private keys)%n",
        dataDir.toAbsolutePath(), s.files(), s.bytes(), to.toAbsolutePath());
    if (!java.nio.file.Files.isDirectory(dataDir.resolve("postgres"))) {
      out.println("no embedded database here: back up your PostgreSQL (jdbcUrl) with pg_dump at the same time");
    }
    out.flush();
    return 0;
  }
}
