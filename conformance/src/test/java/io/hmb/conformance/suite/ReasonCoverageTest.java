package io.hmb.conformance.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.api.v1.ErrorReason;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The rule: at least one negative case per documented error reason, or a stated reason why not. */
class ReasonCoverageTest {
  @Test
  void everyDocumentedReasonHasACaseThatNamesItOrSaysWhereItIsShown() {
    for (ErrorReason reason : ReasonCoverage.documented()) {
      var shown = ReasonCoverage.caseFor(reason);
      assertThat(shown.isPresent() ^ ReasonCoverage.shownElsewhere(reason).isPresent())
          .as("%s needs exactly one of: a case, or where it is shown instead", reason).isTrue();
      shown.ifPresent(c -> assertThat(c.description() + " " + c.requirement())
          .as("case %s shows %s, so its description or requirement must name it", c.id(), reason)
          .contains(reason.name()));
    }
  }

  @Test
  void theDocsTableListsEveryReasonAsTheCodeDoes() throws Exception {
    String doc = Files.readString(Path.of("../docs/conformance.md"));
    for (ErrorReason reason : ReasonCoverage.documented()) {
      assertThat(doc).as("docs/conformance.md#error-reasons row for %s", reason).contains(ReasonCoverage.row(reason));
    }
  }
}
