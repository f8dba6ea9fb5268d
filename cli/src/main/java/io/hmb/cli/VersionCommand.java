package io.hmb.cli;

import io.hmb.gateway.Version;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hmb version}: the build's version and the Java runtime it runs on. */
@Command(name = "version", description = "Print the hmb version and the Java runtime.")
public final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().printf("hmb %s (API hmb.v1, Java %s)%n", Version.current(),
        System.getProperty("java.version"));
    return 0;
  }
}
