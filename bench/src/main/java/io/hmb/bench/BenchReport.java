package io.hmb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** How the full bench and the scale-out comparison end their report alike, so that both read the same. */
final class BenchReport {
  private BenchReport() {}

  /** The load the run left behind, and when it ended. */
  static void markFinished(Map<String, Object> report) {
    report.put("loadAverageAfter", ResourceMeter.loadAverage());
    report.put("finishedAt", Instant.now().toString());
  }

  static Path writeJson(Map<String, Object> report, Path file) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
    return file;
  }

  /** Prints a loud line when anything failed, since then no figure stands; the exit code: 1 then, else 0. */
  static int exitCode(PrintWriter w, long problems) {
    if (problems > 0) {
      w.printf("%n!!! %d ERRORS (failed calls, undelivered or doubled messages): these figures are not valid !!!%n",
          problems);
    }
    return problems == 0 ? 0 : 1;
  }
}
