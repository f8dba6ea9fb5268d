package io.hmb.gateway.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One row of the fault report. "Lost" is acknowledged but never processed by the recipient;
 * "duplicates" is processed twice (recipients deduplicate by message_id, so redeliveries after a
 * fault show up as "redelivered", not as duplicates).
 */
record FaultRow(String fault, String load, int sent, int acknowledged, int delivered, int duplicates, int lost,
    long redelivered) {

  static final Path REPORT = Path.of("target", "fault-report.md");

  String markdown() {
    return "| " + fault + " | " + load + " | " + sent + " | " + acknowledged + " | " + delivered + " | " + duplicates
        + " | " + lost + " | " + redelivered + " |";
  }

  /** Prints the row and appends it to target/fault-report.md (docs/reliability.md quotes a run of it). */
  void publish() {
    System.out.println("FAULT " + markdown());
    try {
      Files.createDirectories(REPORT.getParent());
      if (!Files.exists(REPORT)) {
        Files.writeString(REPORT, "| fault | load | sent | acknowledged | delivered | duplicates | lost | redelivered |\n"
            + "|---|---|---|---|---|---|---|---|\n", StandardCharsets.UTF_8);
      }
      Files.writeString(REPORT, markdown() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
