package io.hmb.conformance.cases;

import io.hmb.adapters.cases.CaseReader;
import io.hmb.adapters.cases.CaseRun;
import io.hmb.adapters.cases.CaseRunner;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.conformance.suite.CaseBody;
import io.hmb.conformance.suite.ConformanceContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every golden benefit case (hand-checked, citing its clause) through the reference rules. An
 * insurer's own engine passes when its payouts equal these to the fen; this case checks the reference
 * itself and shows each case in the report.
 */
final class BenefitGoldenCases {
  private BenefitGoldenCases() {}

  static CaseBody<ConformanceContext> in(Path folder) {
    return ctx -> {
      if (!Files.isDirectory(folder)) {
        throw new CaseBody.Skip("no benefit case folder at " + folder.toAbsolutePath() + " (pass --benefit-cases)");
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(folder)) {
        files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      } catch (IOException e) {
        throw new AssertionError("cannot list " + folder + ": " + e.getMessage());
      }
      CaseRunner runner = new CaseRunner(ProductCatalog.shipped());
      List<String> failures = new ArrayList<>();
      for (Path file : files) {
        long start = System.nanoTime();
        CaseRun run = runner.run(CaseReader.read(file));
        ctx.record("benefit " + file.getFileName(), run.benefitCase().name(),
            run.passed() ? "PASS" : "FAIL " + run.mismatches(), Duration.ofNanos(System.nanoTime() - start));
        if (!run.passed()) {
          failures.add(file.getFileName() + ": " + run.mismatches());
        }
      }
      if (!failures.isEmpty()) {
        throw new AssertionError(failures.size() + " of " + files.size() + " benefit cases failed: " + failures);
      }
    };
  }
}
