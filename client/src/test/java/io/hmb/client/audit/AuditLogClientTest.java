package io.hmb.client.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.AuditEntry;
import io.hmb.api.v1.AuditLogServiceGrpc;
import io.hmb.api.v1.ConsistencyProof;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetCheckpointRequest;
import io.hmb.api.v1.GetConsistencyProofRequest;
import io.hmb.api.v1.GetInclusionProofRequest;
import io.hmb.api.v1.InclusionProof;
import io.hmb.api.v1.InclusionProofs;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SignedCheckpoint;
import io.hmb.client.GatewayException;
import io.hmb.security.AuditLogKey;
import io.hmb.security.Sm3;
import io.hmb.security.merkle.AuditLeaf;
import io.hmb.security.merkle.CompactRange;
import io.hmb.security.merkle.MerkleTree;
import io.hmb.security.merkle.TreeHasher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's audit checks against a small log served in-process: honest, then dishonest in the ways a
 * gateway whose database was rewritten would be (a rewritten entry with the tree recomputed, a dropped
 * entry, another participant's entry, a checkpoint of another key).
 */
class AuditLogClientTest {
  private static final String ME = "BUREAU-210200";
  private static final String INSURER = "INSURER-LEAD-210200";
  private static final byte[] CIPHERTEXT = "the ciphertext I sent".getBytes();

  /** A log in memory, served by AuditLogService. Its entries can be changed the way an attacker would. */
  static final class ServedLog extends AuditLogServiceGrpc.AuditLogServiceImplBase {
    final List<AuditEntry> entries = new ArrayList<>();
    AuditLogKey key = AuditLogKey.generate();
    SignedCheckpoint published;

    void add(AuditEntry e) {
      entries.add(e);
    }

    MerkleTree<RuntimeException> tree() {
      Map<String, byte[]> nodes = new HashMap<>();
      CompactRange range = CompactRange.empty(TreeHasher.SM3);
      for (AuditEntry e : entries) {
        range.append(AuditLeaf.hash(e), n -> nodes.put(n.level() + "/" + n.index(), n.hash()));
      }
      return new MerkleTree<>(TreeHasher.SM3, (level, index) -> nodes.get(level + "/" + index));
    }

    void sign() {
      published = key.sign(entries.size(), tree().root(entries.size()), Instant.parse("2026-12-01T08:00:00Z"));
    }

    @Override
    public void getCheckpoint(GetCheckpointRequest request, StreamObserver<SignedCheckpoint> reply) {
      reply.onNext(published);
      reply.onCompleted();
    }

    @Override
    public void getInclusionProof(GetInclusionProofRequest request, StreamObserver<InclusionProofs> reply) {
      long size = request.getTreeSize();
      InclusionProofs.Builder out = InclusionProofs.newBuilder().setTreeSize(size);
      for (int i = 0; i < Math.min(size, entries.size()); i++) {
        if (entries.get(i).getMessageId().equals(request.getMessageId())) {
          InclusionProof.Builder p = InclusionProof.newBuilder().setEntry(entries.get(i)).setLeafIndex(i);
          tree().inclusionProof(i, size).forEach(h -> p.addAuditPath(ByteString.copyFrom(h)));
          out.addProofs(p);
        }
      }
      if (out.getProofsCount() == 0) {
        reply.onError(Errors.of(ErrorReason.AUDIT_ENTRY_NOT_FOUND, "no entry"));
        return;
      }
      reply.onNext(out.build());
      reply.onCompleted();
    }

    @Override
    public void getConsistencyProof(GetConsistencyProofRequest request, StreamObserver<ConsistencyProof> reply) {
      ConsistencyProof.Builder out = ConsistencyProof.newBuilder().setFirstSize(request.getFirstSize())
          .setSecondSize(request.getSecondSize());
      tree().consistencyProof(request.getFirstSize(), request.getSecondSize()).forEach(h -> out.addNodes(ByteString.copyFrom(h)));
      reply.onNext(out.build());
      reply.onCompleted();
    }
  }

  private final ServedLog log = new ServedLog();
  private Server server;
  private ManagedChannel channel;
  private AuditLogClient client;

  private static AuditEntry entry(int id, String event, String messageId, String sender, String recipient, byte[] digest) {
    return AuditEntry.newBuilder().setEventId(id).setTimeMicros(1_764_576_000_000_000L + id).setEvent(event)
        .setMessageId(messageId).setSender(sender).setRecipient(recipient).setMessageType("MESSAGE_TYPE_SETTLEMENT_DATA")
        .setAdmdvs("210200").setCiphertextDigest(ByteString.copyFrom(digest)).build();
  }

  @BeforeEach
  void start() throws Exception {
    for (int i = 1; i <= 9; i++) {
      log.add(entry(i, "ACCEPTED", "m-" + i, i == 4 ? ME : "HOSPITAL-A-210200", INSURER,
          i == 4 ? Sm3.hash(CIPHERTEXT) : Sm3.hash(("other " + i).getBytes())));
    }
    log.add(entry(10, "ACKNOWLEDGED", "m-4", ME, INSURER, Sm3.hash(CIPHERTEXT)));
    log.sign();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(log).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    client = AuditLogClient.of(channel, ME, log.key.verifier());
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private static SealedEnvelope sent(byte[] ciphertext) {
    return SealedEnvelope.newBuilder().setCiphertext(ByteString.copyFrom(ciphertext)).build();
  }

  @Test
  void anHonestLogProvesOurMessageAsWeSentItAndThatItGrewByAppendingOnly() throws Exception {
    var checkpoint = client.checkpoint();
    assertThat(checkpoint.treeSize()).isEqualTo(10);
    List<AuditEntry> logged = client.proveLogged(sent(CIPHERTEXT), "m-4", checkpoint);
    assertThat(logged).extracting(AuditEntry::getEvent).containsExactly("ACCEPTED", "ACKNOWLEDGED");
    log.add(entry(11, "ACCEPTED", "m-11", ME, INSURER, Sm3.hash("more".getBytes())));
    log.sign();
    var newer = client.checkpoint();
    client.proveExtends(checkpoint, newer);
    assertThat(client.proveLogged("m-4", newer)).hasSize(2);
  }

  @Test
  void aCheckpointOfAnotherKeyIsRefused() {
    log.key = AuditLogKey.generate();
    log.sign();
    assertThatThrownBy(client::checkpoint).isInstanceOf(AuditProofException.class).hasMessageContaining("not the log's");
  }

  @Test
  void anEntryRewrittenAfterTheCheckpointWithTheTreeRecomputedDoesNotProve() throws Exception {
    var checkpoint = client.checkpoint();
    log.entries.set(3, log.entries.get(3).toBuilder().setRecipient("INSURER-OTHER-210200").build());
    assertThatThrownBy(() -> client.proveLogged("m-4", checkpoint)).isInstanceOf(AuditProofException.class)
        .hasMessageContaining("does not lead to the checkpoint's root");
    log.sign(); // the rewritten log, signed anew, does not extend what we hold
    var resigned = client.checkpoint();
    assertThatThrownBy(() -> client.proveExtends(checkpoint, resigned)).isInstanceOf(AuditProofException.class)
        .hasMessageContaining("does not extend");
  }

  @Test
  void anEarlierEntryRemovedBreaksTheProofsOfLaterOnes() throws Exception {
    var checkpoint = client.checkpoint();
    log.entries.remove(1);
    log.add(entry(12, "ACCEPTED", "m-12", "HOSPITAL-A-210200", INSURER, Sm3.hash("padding".getBytes()))); // same size
    assertThatThrownBy(() -> client.proveLogged("m-4", checkpoint)).isInstanceOf(AuditProofException.class);
  }

  @Test
  void anotherCiphertextThanTheOneSentIsNotOurAcceptance() throws Exception {
    var checkpoint = client.checkpoint();
    assertThatThrownBy(() -> client.proveLogged(sent("something else".getBytes()), "m-4", checkpoint))
        .isInstanceOf(AuditProofException.class).hasMessageContaining("no acceptance");
  }

  @Test
  void anEntryOfSomeoneElsesMessageIsNotAcceptedAsOurs() throws Exception {
    var checkpoint = client.checkpoint();
    assertThatThrownBy(() -> client.proveLogged("m-2", checkpoint)).isInstanceOf(AuditProofException.class)
        .hasMessageContaining("names neither sender nor recipient");
  }

  @Test
  void anEmptyCheckpointProvesNothingAndIsNotSentAsTheNewest() throws Exception {
    var empty = new io.hmb.security.merkle.Checkpoint(client.checkpoint().origin(), 0, TreeHasher.SM3.emptyRoot(),
        Instant.parse("2026-12-01T08:00:00Z"));
    assertThatThrownBy(() -> client.proveLogged("m-4", empty)).isInstanceOf(AuditProofException.class)
        .hasMessageContaining("empty log");
  }

  @Test
  void aMessageNotInTheLogIsTheGatewaysRefusal() throws Exception {
    var checkpoint = client.checkpoint();
    assertThatThrownBy(() -> client.proveLogged("m-404", checkpoint)).isInstanceOf(GatewayException.class)
        .satisfies(e -> assertThat(((GatewayException) e).reason()).contains(ErrorReason.AUDIT_ENTRY_NOT_FOUND));
  }
}
