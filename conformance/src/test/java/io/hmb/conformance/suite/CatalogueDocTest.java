package io.hmb.conformance.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The published spec (docs/conformance.md) has exactly one four-part section per case id, in step with the code. */
class CatalogueDocTest {
  @Test
  void everyCaseHasExactlyOneSpecSectionAndNoStraySections() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("../docs/conformance.md"));
    List<String> sections = lines.stream().filter(l -> l.startsWith("### ")).map(l -> l.substring(4).trim()).toList();
    List<String> ids = Arrays.stream(ConformanceCase.values()).map(ConformanceCase::id).toList();
    assertThat(sections).containsExactlyInAnyOrderElementsOf(ids);
    String doc = String.join("\n", lines);
    for (String id : ids) {
      String section = doc.substring(doc.indexOf("### " + id + "\n"));
      assertThat(section).as(id).contains("**Verifies:**", "**Gateway features:**", "**Procedure:**", "**Asserts:**");
    }
  }
}
