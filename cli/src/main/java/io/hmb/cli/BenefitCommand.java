package io.hmb.cli;

import io.hmb.adapters.cases.BenefitCase;
import io.hmb.adapters.cases.CaseFileException;
import io.hmb.adapters.cases.CaseQuote;
import io.hmb.adapters.cases.CaseReader;
import io.hmb.adapters.cases.CaseRun;
import io.hmb.adapters.cases.CaseRunner;
import io.hmb.adapters.engine.ProductCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hmb benefit}: run hand-checked benefit cases against the product files.
 *
 * <p>Exit codes: 0 every case passed; 1 a case failed or a file could not be read as a case.
 */
@Command(name = "benefit", mixinStandardHelpOptions = true,
    description = "Run benefit case files against the product rules.",
    subcommands = {BenefitCommand.Check.class, BenefitCommand.Quote.class},
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:every case passed", "1:a case failed or could not be read"})
public final class BenefitCommand implements Runnable {
  @Spec CommandSpec spec;

  public BenefitCommand() {}

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** {@code benefit check PATH...}: one line per case, then "N passed, N failed". */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Run case files (or every *.json under folders); print PASS/FAIL per case.")
  public static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "case files or folders of case files")
    List<Path> paths;

    public Check() {}

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      CaseRunner runner = new CaseRunner(ProductCatalog.shipped());
      int passed = 0;
      int failed = 0;
      for (Path file : caseFiles(paths)) {
        BenefitCase c;
        try {
          c = CaseReader.read(file);
        } catch (CaseFileException e) {
          out.println("FAIL " + file.getFileName() + ": not a case file: " + e.getMessage());
          failed++;
          continue;
        }
        CaseRun run = runner.run(c);
        if (run.passed()) {
          out.println("PASS " + file.getFileName() + ": " + c.name());
          passed++;
        } else {
          out.println("FAIL " + file.getFileName() + ": " + c.name() + " | " + String.join(" | ", run.mismatches()));
          run.trace().forEach(t -> out.println("    " + t));
          failed++;
        }
      }
      out.println(passed + " passed, " + failed + " failed");
      out.flush();
      return failed == 0 ? 0 : 1;
    }
  }

  /** {@code benefit quote FILE}: the full breakdown of one case as JSON. */
  @Command(name = "quote", mixinStandardHelpOptions = true,
      description = "Print the full breakdown of one case (per claim, per liability) as JSON.")
  public static final class Quote implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "one case file")
    Path file;

    public Quote() {}

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        CaseRun run = new CaseRunner(ProductCatalog.shipped()).run(CaseReader.read(file));
        out.println(CaseQuote.toJson(run));
        out.flush();
        return run.passed() ? 0 : 1;
      } catch (CaseFileException e) {
        spec.commandLine().getErr().println("not a case file: " + e.getMessage());
        return 1;
      }
    }
  }

  static List<Path> caseFiles(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(f -> f.toString().endsWith(".json") && Files.isRegularFile(f)).sorted().forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
