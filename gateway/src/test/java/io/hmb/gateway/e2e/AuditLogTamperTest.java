package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.AuditLogServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetCheckpointRequest;
import io.hmb.api.v1.GetConsistencyProofRequest;
import io.hmb.api.v1.GetInclusionProofRequest;
import io.hmb.api.v1.InclusionProof;
import io.hmb.api.v1.InclusionProofs;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.api.v1.SignedCheckpoint;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.audit.AuditLogFiles;
import io.hmb.gateway.audit.AuditVerification;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.security.CheckpointVerifier;
import io.hmb.security.merkle.AuditLeaf;
import io.hmb.security.merkle.Checkpoint;
import io.hmb.security.merkle.MerkleProofs;
import io.hmb.security.merkle.TreeHasher;
import io.hmb.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database superuser against the audit log. Without a trigger in the way (session_replication_role =
 * replica) the attacker can rewrite an event or cut the newest ones and then have the gateway's own
 * chainer recompute every later hash: the chain alone then verifies. What it cannot do is sign a
 * checkpoint. So {@code audit verify} (against the node's checkpoint file), a participant holding a
 * checkpoint (with its inclusion proof), and the serving node's signer (which refuses to sign on) all
 * see it.
 */
class AuditLogTamperTest {
  @TempDir Path dataDir;
  Gateway gateway;
  DatabaseConsole sql;
  TestParty bureau;
  TestParty lead;
  TestEndpoint leadEndpoint;
  CheckpointVerifier pinned;
  final List<String> settlements = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir)
        .auditCheckpointInterval(Duration.ofMillis(100)), Clock.systemUTC());
    sql = DatabaseConsole.of(dataDir);
    lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    leadEndpoint = new TestEndpoint(lead, gateway);
    gateway.admin().setEndpoint(lead.code, Optional.of(leadEndpoint.address()));
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code,
        LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
    leadEndpoint.start();
    pinned = CheckpointVerifier.fromPem(Files.readString(gateway.admin().auditLogPublicKeyFile()));
    sendSettlements(6);
  }

  @AfterEach
  void stop() throws Exception {
    leadEndpoint.close();
    bureau.close();
    lead.close();
    sql.close();
    gateway.close();
  }

  private void sendSettlements(int count) throws InterruptedException {
    Person person = Person.newBuilder().setCertType("01").setCertNumber("210202198001011234").setName("李四").build();
    int first = settlements.size();
    for (int i = first; i < first + count; i++) {
      settlements.add(SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, "210200")
              .setIdempotencyKey("t-" + i), SettlementData.newBuilder().setPerson(person).setSettlementId("S" + i).build(),
              lead)).getMessageId());
    }
    Await.until("the settlements acknowledged", () -> settlements.stream()
        .allMatch(id -> CoreEndToEndTestAudit.events(gateway, id).contains("ACKNOWLEDGED")));
  }

  private AuditLogServiceGrpc.AuditLogServiceBlockingStub auditLog(TestParty party) {
    return AuditLogServiceGrpc.newBlockingStub(party.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  /** A checkpoint, verified as a participant does, that covers every event so far. */
  private Checkpoint checkpointCoveringEverything() throws Exception {
    AuditVerification v = gateway.admin().verifyAudit(); // links everything so far
    long events = v.chainedEvents();
    Await.until("a checkpoint of all " + events + " events", () -> newestCheckpoint().treeSize() >= events);
    return pinned.verify(auditLog(bureau).getCheckpoint(GetCheckpointRequest.getDefaultInstance()));
  }

  private Checkpoint newestCheckpoint() {
    try {
      return pinned.verify(auditLog(bureau).getCheckpoint(GetCheckpointRequest.getDefaultInstance()));
    } catch (CheckpointVerifier.InvalidCheckpointException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean proves(InclusionProof p, Checkpoint c) {
    List<byte[]> path = p.getAuditPathList().stream().map(ByteString::toByteArray).toList();
    return MerkleProofs.verifyInclusion(TreeHasher.SM3, p.getLeafIndex(), c.treeSize(), AuditLeaf.hash(p.getEntry()), path,
        c.rootHash());
  }

  @Test
  void anHonestLogVerifiesAndProvesEveryEventOfAParticipantsMessages() throws Exception {
    Checkpoint c = checkpointCoveringEverything();
    AuditVerification v = gateway.admin().verifyAudit();
    assertThat(v.firstBreak()).isEmpty();
    assertThat(v.treeSize()).isEqualTo(v.chainedEvents()).isEqualTo(12); // 6 x (ACCEPTED, ACKNOWLEDGED)
    assertThat(v.checkpointSize()).isEqualTo(12);
    InclusionProofs proofs = auditLog(bureau).getInclusionProof(GetInclusionProofRequest.newBuilder()
        .setMessageId(settlements.get(2)).setTreeSize(c.treeSize()).build());
    assertThat(proofs.getProofsList()).extracting(p -> p.getEntry().getEvent()).containsExactly("ACCEPTED", "ACKNOWLEDGED");
    assertThat(proofs.getProofsList()).allMatch(p -> proves(p, c));
    // The recipient may ask too; the entry is only header facts, no personal data.
    InclusionProofs asLead = auditLog(lead).getInclusionProof(GetInclusionProofRequest.newBuilder()
        .setMessageId(settlements.get(2)).build());
    assertThat(asLead.getProofsList()).allMatch(p -> proves(p, c));
    assertThat(asLead.toString()).doesNotContain("210202198001011234").doesNotContain("李四");

    sendSettlements(3);
    Checkpoint later = checkpointCoveringEverything();
    var consistency = auditLog(lead).getConsistencyProof(GetConsistencyProofRequest.newBuilder()
        .setFirstSize(c.treeSize()).setSecondSize(later.treeSize()).build());
    assertThat(MerkleProofs.verifyConsistency(TreeHasher.SM3, c.treeSize(), later.treeSize(), c.rootHash(),
        later.rootHash(), consistency.getNodesList().stream().map(ByteString::toByteArray).toList())).isTrue();
  }

  @Test
  void noOneElseGetsAMessagesEntriesAndSizesBeyondTheCheckpointAreRefused() throws Exception {
    Checkpoint c = checkpointCoveringEverything();
    TestParty stranger = TestParty.register(gateway, "HOSPITAL-X-210200", Role.ROLE_HOSPITAL, "210200", Optional.empty());
    try {
      assertThatThrownBy(() -> auditLog(stranger).getInclusionProof(GetInclusionProofRequest.newBuilder()
          .setMessageId(settlements.get(0)).build()))
          .satisfies(e -> assertThat(Errors.reason(e)).contains(ErrorReason.AUDIT_ENTRY_NOT_FOUND));
    } finally {
      stranger.close();
    }
    assertThatThrownBy(() -> auditLog(bureau).getInclusionProof(GetInclusionProofRequest.newBuilder()
        .setMessageId(settlements.get(0)).setTreeSize(c.treeSize() + 1000).build()))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(Errors.reason(e)).contains(ErrorReason.TREE_SIZE_INVALID));
    assertThatThrownBy(() -> auditLog(bureau).getConsistencyProof(GetConsistencyProofRequest.newBuilder()
        .setFirstSize(0).setSecondSize(c.treeSize()).build()))
        .satisfies(e -> assertThat(Errors.reason(e)).contains(ErrorReason.TREE_SIZE_INVALID));
  }

  @Test
  void anUpgradedChainWithoutATreeGetsTheSameTreeBack() throws Exception {
    Checkpoint c = checkpointCoveringEverything();
    try (Connection conn = sql.connect(); Statement s = conn.createStatement()) {
      s.execute("SET session_replication_role = replica");
      s.execute("DELETE FROM audit_tree"); // as before V10: a chain and no tree
    }
    AuditVerification v = gateway.admin().verifyAudit(); // the chainer rebuilds it
    assertThat(v.firstBreak()).isEmpty();
    assertThat(v.treeSize()).isEqualTo(v.chainedEvents());
    assertThat(auditLog(bureau).getInclusionProof(GetInclusionProofRequest.newBuilder()
        .setMessageId(settlements.get(0)).setTreeSize(c.treeSize()).build()).getProofsList()).allMatch(p -> proves(p, c));
  }

  @Test
  void aRewrittenEventWithEveryHashRecomputedIsFoundByVerifyByTheParticipantAndByTheSigner() throws Exception {
    Checkpoint before = checkpointCoveringEverything();
    String victim = settlements.get(1);
    try (Connection conn = sql.connect(); Statement s = conn.createStatement()) {
      conn.setAutoCommit(false); // one change, as the live chainer sees it
      s.execute("SET LOCAL session_replication_role = replica");
      // Send the victim's settlement to someone else, then unlink everything from it on and let the
      // gateway's own chainer relink and rehash it all, so the chain is self-consistent again.
      s.executeUpdate("UPDATE audit_event SET recipient = 'INSURER-OTHER-210200' WHERE message_id = '" + victim + "'");
      long from;
      try (ResultSet rs = s.executeQuery("SELECT min(ch.position) FROM audit_chain ch JOIN audit_event e "
          + "ON e.id = ch.event_id WHERE e.message_id = '" + victim + "'")) {
        rs.next();
        from = rs.getLong(1);
      }
      s.executeUpdate("DELETE FROM audit_chain WHERE position >= " + from);
      s.executeUpdate("DELETE FROM audit_tree");
      conn.commit();
    }
    AuditVerification v = gateway.admin().verifyAudit();
    assertThat(v.chainedEvents()).as("the recomputed chain links every row again").isEqualTo(12);
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBreak().orElseThrow()).contains("do not have the root checkpoint").contains("rewritten");

    // The bureau holds the checkpoint from before: the gateway can no longer prove its message against it.
    InclusionProofs proofs = auditLog(bureau).getInclusionProof(GetInclusionProofRequest.newBuilder()
        .setMessageId(victim).setTreeSize(before.treeSize()).build());
    assertThat(proofs.getProofsList()).isNotEmpty().noneMatch(p -> proves(p, before));
    // ... nor for a message logged before the change: the rewritten subtree is on its path.
    InclusionProofs earlier = auditLog(bureau).getInclusionProof(GetInclusionProofRequest.newBuilder()
        .setMessageId(settlements.get(0)).setTreeSize(before.treeSize()).build());
    assertThat(earlier.getProofsList()).anyMatch(p -> !proves(p, before));

    // The serving node refuses to sign the rewritten log: the newest checkpoint stays the old one.
    sendSettlements(2);
    gateway.admin().verifyAudit();
    Thread.sleep(1000); // ten checkpoint intervals
    SignedCheckpoint newest = auditLog(bureau).getCheckpoint(GetCheckpointRequest.getDefaultInstance());
    assertThat(pinned.verify(newest).treeSize()).isEqualTo(before.treeSize());
  }

  /**
   * No foreign key holds a chained event in place (V16 dropped it: a lock and a WAL record per event), so with the
   * append-only trigger off a chained event can be deleted outright. The chain's row for it is left pointing at
   * nothing, and verify names it.
   */
  @Test
  void aChainedEventDeletedOutrightIsFoundByVerify() throws Exception {
    checkpointCoveringEverything();
    try (Connection conn = sql.connect(); Statement s = conn.createStatement()) {
      s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
      assertThat(s.executeUpdate("DELETE FROM audit_event WHERE id = (SELECT event_id FROM audit_chain WHERE position = 3)"))
          .isEqualTo(1);
      s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
    }
    AuditVerification v = gateway.admin().verifyAudit();
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBreak().orElseThrow()).startsWith("position 3: its audit event was deleted");
  }

  @Test
  void theNewestEventsCutOffAreFoundByVerify() throws Exception {
    Checkpoint before = checkpointCoveringEverything();
    try (Connection conn = sql.connect(); Statement s = conn.createStatement()) {
      conn.setAutoCommit(false);
      s.execute("SET LOCAL session_replication_role = replica");
      long size = before.treeSize();
      s.executeUpdate("CREATE TEMP TABLE cut AS SELECT event_id FROM audit_chain WHERE position > " + (size - 5));
      s.executeUpdate("DELETE FROM audit_chain WHERE event_id IN (SELECT event_id FROM cut)");
      s.executeUpdate("DELETE FROM audit_event WHERE id IN (SELECT event_id FROM cut)");
      s.executeUpdate("DELETE FROM audit_tree");
      conn.commit();
    }
    AuditVerification v = gateway.admin().verifyAudit();
    assertThat(v.chainedEvents()).as("the chain alone is intact").isEqualTo(before.treeSize() - 5);
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBreak().orElseThrow()).contains("newest checkpoint signed " + before.treeSize())
        .contains("entries were removed");
    // The bureau, holding the checkpoint, cannot get its last settlement proved any more.
    String last = settlements.get(settlements.size() - 1);
    assertThatThrownBy(() -> auditLog(bureau).getInclusionProof(GetInclusionProofRequest.newBuilder()
        .setMessageId(last).setTreeSize(before.treeSize()).build())).isInstanceOf(StatusRuntimeException.class);
  }

  @Test
  void theCheckpointFileIsOutsideTheDatabaseAndTheKeyIsTheOwnersAlone() throws Exception {
    checkpointCoveringEverything();
    Path key = AuditLogFiles.directory(dataDir).resolve("log-key.pem");
    assertThat(Files.getPosixFilePermissions(key)).containsExactlyInAnyOrder(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(Files.getPosixFilePermissions(AuditLogFiles.directory(dataDir)))
        .noneMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"));
    try (Connection conn = sql.connect(); Statement s = conn.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class WHERE relname ILIKE '%checkpoint%'")) {
      rs.next();
      assertThat(rs.getLong(1)).as("no checkpoint table in the database").isZero();
    }
    List<String> lines = Files.readAllLines(AuditLogFiles.directory(dataDir).resolve("checkpoints"));
    assertThat(lines).isNotEmpty().allMatch(l -> l.startsWith(pinned.keyId() + " "));
  }
}
