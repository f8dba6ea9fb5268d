package io.hmb.conformance.cases;

import io.hmb.api.v1.AuditEntry;
import io.hmb.api.v1.ErrorReason;
import io.hmb.client.GatewayException;
import io.hmb.client.audit.AuditLogClient;
import io.hmb.client.audit.AuditProofException;
import io.hmb.conformance.suite.CaseBody;
import io.hmb.conformance.suite.ConformanceCase;
import io.hmb.conformance.suite.ConformanceContext;
import io.hmb.conformance.suite.ConformanceSession;
import io.hmb.security.merkle.Checkpoint;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The audit log, checked as a participant checks it: with the SDK's {@link AuditLogClient}, trusting only
 * the log's pinned public key. A gateway signs a checkpoint every few seconds (5 s by default), so a case
 * waits up to {@link #CHECKPOINT_WAIT} for one that covers what it just sent.
 */
final class AuditLogCases {
  static final Duration CHECKPOINT_WAIT = Duration.ofSeconds(30);

  private AuditLogCases() {}

  static Map<ConformanceCase, CaseBody<ConformanceContext>> all() {
    Map<ConformanceCase, CaseBody<ConformanceContext>> m = new EnumMap<>(ConformanceCase.class);
    m.put(ConformanceCase.AUDIT_CHECKPOINT_SIGNED, AuditLogCases::checkpointSigned);
    m.put(ConformanceCase.AUDIT_INCLUSION_PROVED, AuditLogCases::inclusionProved);
    m.put(ConformanceCase.AUDIT_CONSISTENCY_PROVED, AuditLogCases::consistencyProved);
    return m;
  }

  private static AuditLogClient client(ConformanceContext ctx) {
    ConformanceSession s = ctx.session();
    return AuditLogClient.of(s.channel, s.self, s.auditLogKey.orElseThrow(() -> new AssertionError("no "
        + ConformanceSession.AUDIT_LOG_KEY + " beside ca.crt: copy the gateway's data-dir/audit/"
        + ConformanceSession.AUDIT_LOG_KEY + " (./hmb audit public-key prints it) there")));
  }

  /** {@link ConformanceCase#AUDIT_CHECKPOINT_SIGNED}. */
  private static void checkpointSigned(ConformanceContext ctx) throws Exception {
    Checkpoint c = checkpoint(ctx, client(ctx));
    if (!c.origin().startsWith("hmb-audit/")) {
      throw new AssertionError("the checkpoint names the log " + c.origin());
    }
  }

  /** {@link ConformanceCase#AUDIT_INCLUSION_PROVED}. */
  private static void inclusionProved(ConformanceContext ctx) throws Exception {
    AuditLogClient log = client(ctx);
    String messageId = GatewayCases.submitReconciliation(ctx).getMessageId();
    Checkpoint c = checkpointCovering(ctx, log, messageId);
    List<AuditEntry> entries = log.proveLogged(messageId, c);
    boolean ours = entries.stream().anyMatch(e -> e.getEvent().equals("ACCEPTED") && e.getSender().equals(ctx.session().self));
    ctx.record("AuditLogService/GetInclusionProof", "message_id=" + messageId + " tree_size=" + c.treeSize(),
        entries.size() + " entries proved: " + entries.stream().map(AuditEntry::getEvent).toList(), Duration.ZERO);
    if (!ours) {
      throw new AssertionError("the proved entries hold no ACCEPTED event sent by " + ctx.session().self + ": " + entries);
    }
    String unknown = java.util.UUID.randomUUID().toString();
    expectRefused(ctx, "GetInclusionProof of a message never sent", ErrorReason.AUDIT_ENTRY_NOT_FOUND,
        () -> log.proveLogged(unknown, c));
  }

  /** {@link ConformanceCase#AUDIT_CONSISTENCY_PROVED}. */
  private static void consistencyProved(ConformanceContext ctx) throws Exception {
    AuditLogClient log = client(ctx);
    Checkpoint older = checkpoint(ctx, log);
    String messageId = GatewayCases.submitReconciliation(ctx).getMessageId();
    Checkpoint newer = checkpointCovering(ctx, log, messageId);
    log.proveExtends(older, newer);
    ctx.record("AuditLogService/GetConsistencyProof", "first_size=" + older.treeSize() + " second_size=" + newer.treeSize(),
        "proved", Duration.ZERO);
    if (newer.treeSize() <= older.treeSize()) {
      throw new AssertionError("a message was logged but the checkpoint did not grow: " + older + " then " + newer);
    }
    Checkpoint unsigned = new Checkpoint(newer.origin(), newer.treeSize() + 1_000_000, newer.rootHash(), newer.time());
    expectRefused(ctx, "GetConsistencyProof beyond the newest checkpoint", ErrorReason.TREE_SIZE_INVALID,
        () -> log.proveExtends(newer, unsigned));
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void expectRefused(ConformanceContext ctx, String what, ErrorReason reason, Call call) throws Exception {
    try {
      call.run();
    } catch (GatewayException e) {
      ctx.record("AuditLogService", what, "refused " + e.reason().map(Enum::name).orElse(e.status().getCode().name()),
          Duration.ZERO);
      if (e.reason().orElse(null) != reason) {
        throw new AssertionError(what + ": expected " + reason + ", got " + e.reason().orElse(null) + " (" + e.getMessage() + ")");
      }
      return;
    }
    throw new AssertionError(what + ": expected " + reason + ", but it was answered");
  }

  private static Checkpoint checkpoint(ConformanceContext ctx, AuditLogClient log) throws Exception {
    long start = System.nanoTime();
    Checkpoint c = log.checkpoint();
    ctx.record("AuditLogService/GetCheckpoint", "", c.toString(), Duration.ofNanos(System.nanoTime() - start));
    return c;
  }

  /** Waits for a signed checkpoint under which the message's entries can be proved. */
  private static Checkpoint checkpointCovering(ConformanceContext ctx, AuditLogClient log, String messageId)
      throws Exception {
    long deadline = System.nanoTime() + CHECKPOINT_WAIT.toNanos();
    while (true) {
      Checkpoint c = log.checkpoint();
      if (c.treeSize() == 0) { // the first checkpoint after a start: nothing logged under it yet
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("no checkpoint covered message " + messageId + " within " + CHECKPOINT_WAIT.toSeconds() + " s");
        }
        Thread.sleep(200);
        continue;
      }
      try {
        log.proveLogged(messageId, c);
        return c;
      } catch (GatewayException notYet) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("no checkpoint covered message " + messageId + " within " + CHECKPOINT_WAIT.toSeconds()
              + " s: " + notYet.getMessage());
        }
        Thread.sleep(200);
      } catch (AuditProofException wrong) {
        throw wrong;
      }
    }
  }
}
