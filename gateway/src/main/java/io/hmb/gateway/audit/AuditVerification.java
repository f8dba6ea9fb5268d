package io.hmb.gateway.audit;

import java.util.Optional;

/**
 * What {@code audit verify} found. {@code chainedEvents}: events linked and checked; {@code unchainedEvents}:
 * committed but not linked yet; {@code treeSize}: entries in the Merkle log; {@code checkpointSize}: how
 * many of them the newest signed checkpoint covers (0 with none); {@code checkpoints}: how many
 * checkpoints were checked; {@code firstBreak}: the first thing that does not match, if any.
 */
public record AuditVerification(long chainedEvents, long unchainedEvents, long treeSize, long checkpointSize,
    int checkpoints, Optional<String> firstBreak) {
  public boolean intact() {
    return firstBreak.isEmpty();
  }
}
