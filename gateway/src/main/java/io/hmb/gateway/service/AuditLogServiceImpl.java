package io.hmb.gateway.service;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.AuditLogServiceGrpc;
import io.hmb.api.v1.ConsistencyProof;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetCheckpointRequest;
import io.hmb.api.v1.GetConsistencyProofRequest;
import io.hmb.api.v1.GetInclusionProofRequest;
import io.hmb.api.v1.InclusionProof;
import io.hmb.api.v1.InclusionProofs;
import io.hmb.api.v1.SignedCheckpoint;
import io.hmb.gateway.audit.AuditCheckpoints;
import io.hmb.gateway.audit.AuditTree;
import io.hmb.gateway.db.Transactions;
import io.hmb.gateway.server.PeerAuthentication;
import io.hmb.security.merkle.Checkpoint;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log, published: the newest signed checkpoint, inclusion proofs of a caller's own messages,
 * consistency proofs between checkpoints. Proofs are computed from the database's tree; they convince
 * only as far as they lead to a checkpoint signed outside it, which is the participant's check to make.
 */
public final class AuditLogServiceImpl extends AuditLogServiceGrpc.AuditLogServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(AuditLogServiceImpl.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final int MAX_MESSAGE_ID_LENGTH = 64;

  private final Transactions tx;
  private final AuditCheckpoints checkpoints;

  public AuditLogServiceImpl(Transactions tx, AuditCheckpoints checkpoints) {
    this.tx = tx;
    this.checkpoints = checkpoints;
  }

  @Override
  public void getCheckpoint(GetCheckpointRequest request, StreamObserver<SignedCheckpoint> reply) {
    Optional<SignedCheckpoint> latest = checkpoints.latest();
    if (latest.isEmpty()) {
      reply.onError(unavailable());
      return;
    }
    reply.onNext(latest.get());
    reply.onCompleted();
  }

  @Override
  public void getInclusionProof(GetInclusionProofRequest request, StreamObserver<InclusionProofs> reply) {
    Optional<Checkpoint> latest = checkpoints.latestCheckpoint();
    if (latest.isEmpty()) {
      reply.onError(unavailable());
      return;
    }
    long signed = latest.get().treeSize();
    long size = request.getTreeSize() == 0 ? signed : request.getTreeSize();
    if (size > signed) {
      reply.onError(sizeInvalid("tree_size", signed, "tree_size " + request.getTreeSize()
          + " is beyond the newest checkpoint's " + signed));
      return;
    }
    String caller = PeerAuthentication.PEER.get();
    String messageId = request.getMessageId();
    InclusionProofs proofs;
    try {
      proofs = messageId.isEmpty() || messageId.length() > MAX_MESSAGE_ID_LENGTH ? null : tx.inTransaction(c -> {
        c.createStatement().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        var tree = AuditTree.tree(c);
        InclusionProofs.Builder out = InclusionProofs.newBuilder().setTreeSize(size);
        for (AuditTree.Logged logged : AuditTree.entriesOf(c, messageId, size)) {
          if (!caller.equals(logged.entry().getSender()) && !caller.equals(logged.entry().getRecipient())) {
            continue; // another participant's message: as if it were not there
          }
          InclusionProof.Builder p = InclusionProof.newBuilder().setEntry(logged.entry()).setLeafIndex(logged.leafIndex());
          tree.inclusionProof(logged.leafIndex(), size).forEach(h -> p.addAuditPath(ByteString.copyFrom(h)));
          out.addProofs(p);
        }
        return out.build();
      });
    } catch (SQLException e) {
      reply.onError(databaseDown(e));
      return;
    }
    if (proofs == null || proofs.getProofsCount() == 0) {
      reply.onError(Errors.of(ErrorReason.AUDIT_ENTRY_NOT_FOUND, "no entry of that message of yours in the first "
          + size + " entries of the log", Map.of("field", "message_id")));
      return;
    }
    reply.onNext(proofs);
    reply.onCompleted();
  }

  @Override
  public void getConsistencyProof(GetConsistencyProofRequest request, StreamObserver<ConsistencyProof> reply) {
    Optional<Checkpoint> latest = checkpoints.latestCheckpoint();
    if (latest.isEmpty()) {
      reply.onError(unavailable());
      return;
    }
    long signed = latest.get().treeSize();
    long first = request.getFirstSize();
    long second = request.getSecondSize();
    if (first < 1 || first > second) {
      reply.onError(sizeInvalid("first_size", signed, "first_size must be 1 to second_size, was " + first));
      return;
    }
    if (second > signed) {
      reply.onError(sizeInvalid("second_size", signed, "second_size " + second + " is beyond the newest checkpoint's " + signed));
      return;
    }
    try {
      ConsistencyProof proof = tx.inTransaction(c -> {
        c.createStatement().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        ConsistencyProof.Builder out = ConsistencyProof.newBuilder().setFirstSize(first).setSecondSize(second);
        AuditTree.tree(c).consistencyProof(first, second).forEach(h -> out.addNodes(ByteString.copyFrom(h)));
        return out.build();
      });
      reply.onNext(proof);
      reply.onCompleted();
    } catch (SQLException e) {
      reply.onError(databaseDown(e));
    }
  }

  private static RuntimeException unavailable() {
    return Errors.retryAfter(ErrorReason.AUDIT_CHECKPOINT_UNAVAILABLE, "no audit checkpoint is signed yet", RETRY);
  }

  private static RuntimeException sizeInvalid(String field, long signed, String message) {
    return Errors.of(ErrorReason.TREE_SIZE_INVALID, message, Map.of("field", field, "checkpoint_size", Long.toString(signed)));
  }

  private static RuntimeException databaseDown(SQLException e) {
    log.warn("audit log read failed error={}", e.toString());
    return Errors.retryAfter(ErrorReason.GATEWAY_UNAVAILABLE, "the audit log cannot be read right now", RETRY);
  }
}
