package io.hmb.adapters.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.adapters.engine.ProductCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every hand-checked case in conformance/cases/benefit, one dynamic test each. */
class BenefitCasesTest {
  static final Path CASES = Path.of("../conformance/cases/benefit");

  static List<Path> caseFiles() throws IOException {
    try (Stream<Path> s = Files.list(CASES)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCasePasses() throws IOException {
    CaseRunner runner = new CaseRunner(ProductCatalog.shipped());
    return caseFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      CaseRun run = runner.run(CaseReader.read(file));
      assertThat(run.mismatches()).as("%s%n%s", run.benefitCase().name(), String.join("\n", run.trace())).isEmpty();
    }));
  }

  @Test
  void everyCaseCitesAClauseAndShowsItsArithmetic() throws IOException {
    for (Path file : caseFiles()) {
      BenefitCase c = CaseReader.read(file);
      assertThat(c.cites()).as(file.toString()).isNotEmpty();
      assertThat(c.why()).as(file + ": hand arithmetic in \"why\"").isNotBlank();
    }
  }

  @Test
  void thereAreAtLeastSixtyCasesCoveringEveryProduct() throws IOException {
    List<Path> files = caseFiles();
    assertThat(files).hasSizeGreaterThanOrEqualTo(60);
    var products = files.stream().map(f -> CaseReader.read(f).product()).distinct().toList();
    assertThat(products).containsAll(ProductCatalog.CODES);
  }
}
