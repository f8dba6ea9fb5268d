package io.hmb.conformance.suite;

import java.util.List;

/** Counts of a run, and the closing line every runner prints: "N passed, N failed[, N skipped]". */
public record Summary(int passed, int failed, int skipped) {

  public static Summary of(List<CaseResult> results) {
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    for (CaseResult r : results) {
      switch (r.outcome()) {
        case PASSED -> passed++;
        case FAILED -> failed++;
        case SKIPPED -> skipped++;
      }
    }
    return new Summary(passed, failed, skipped);
  }

  public String closingLine() {
    return passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "");
  }
}
