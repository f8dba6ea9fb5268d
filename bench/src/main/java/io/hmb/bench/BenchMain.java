package io.hmb.bench;

import picocli.CommandLine;

/** Runs {@link BenchCommand} on its own, until the cli module registers it under {@code ./hmb bench}. */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }
}
