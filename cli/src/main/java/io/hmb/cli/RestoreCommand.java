package io.hmb.cli;

import io.hmb.gateway.backup.ColdBackup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hmb restore --from FILE --data-dir DIR}: the other half of {@link BackupCommand}. */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = {"Restore an archive made by backup into a new (or empty) data directory, checking every file "
        + "against the archive's SHA-256 manifest; files are written 0600, directories 0700. Then start the gateway "
        + "there (./hmb serve --data-dir DIR) and run ./hmb audit verify --data-dir DIR."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:restored", "1:the archive is damaged or not a backup, or the directory is not empty"})
final class RestoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin AdminOptions admin;

  @Option(names = "--from", required = true, paramLabel = "FILE", description = "An archive written by hmb backup.")
  Path from;

  @Override
  public Integer call() throws Exception {
    Path dataDir = admin.config().dataDir();
    ColdBackup.Summary s = ColdBackup.restore(from, dataDir);
    var out = spec.commandLine().getOut();
    out.printf("restored %d files, %d bytes, into %s; start it with ./hmb serve --data-dir %s, then ./hmb audit verify "
        + "--data-dir %s%n", s.files(), s.bytes(), dataDir.toAbsolutePath(), dataDir, dataDir);
    out.flush();
    return 0;
  }
}
