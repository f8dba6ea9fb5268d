package io.hmb.gateway.scale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The scale-out test's row of the fault report, in the fault tests' columns (docs/reliability.md):
 * "duplicates" is processed twice, by message_id or by idempotency key under a second message_id;
 * "lost" is acknowledged but never processed; "redelivered" is delivered again and deduplicated.
 */
record ScaleOutRow(String fault, String load, int sent, int acknowledged, int delivered, int duplicates, int lost,
    long redelivered) {

  private static final Path REPORT = Path.of("target", "fault-report.md");

  String markdown() {
    return "| " + fault + " | " + load + " | " + sent + " | " + acknowledged + " | " + delivered + " | " + duplicates
        + " | " + lost + " | " + redelivered + " |";
  }

  /** Prints the row and appends it to target/fault-report.md, beside the fault tests' rows. */
  void publish() throws IOException {
    System.out.println("FAULT " + markdown());
    Files.createDirectories(REPORT.getParent());
    if (!Files.exists(REPORT)) {
      Files.writeString(REPORT, "| fault | load | sent | acknowledged | delivered | duplicates | lost | redelivered |\n"
          + "|---|---|---|---|---|---|---|---|\n", StandardCharsets.UTF_8);
    }
    Files.writeString(REPORT, markdown() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }
}
