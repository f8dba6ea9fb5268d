package io.hmb.client.audit;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.hmb.api.v1.AuditEntry;
import io.hmb.api.v1.AuditLogServiceGrpc;
import io.hmb.api.v1.ConsistencyProof;
import io.hmb.api.v1.GetCheckpointRequest;
import io.hmb.api.v1.GetConsistencyProofRequest;
import io.hmb.api.v1.GetInclusionProofRequest;
import io.hmb.api.v1.InclusionProof;
import io.hmb.api.v1.InclusionProofs;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.client.GatewayException;
import io.hmb.security.CheckpointVerifier;
import io.hmb.security.Sm3;
import io.hmb.security.merkle.AuditLeaf;
import io.hmb.security.merkle.Checkpoint;
import io.hmb.security.merkle.MerkleProofs;
import io.hmb.security.merkle.TreeHasher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A participant's check of the gateway's audit log, trusting only the log's public key (pinned, handed
 * out with ca.crt) and what it sent itself: {@link #checkpoint()} verifies the log's signed statement of
 * its size and root; {@link #proveLogged} that a message of ours is in the log as we sent it, leading to
 * that root; {@link #proveExtends} that a newer checkpoint keeps everything an older one held. Keep the
 * checkpoints you verified: a gateway (or its database administrator) that rewrote or dropped an entry
 * since cannot prove it against them.
 *
 * <p>Failures of the gateway to answer are {@link GatewayException}s; an answer that does not prove what
 * it should is an {@link AuditProofException}, which is the finding: report it.
 */
public final class AuditLogClient {
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

  private final AuditLogServiceGrpc.AuditLogServiceBlockingStub stub;
  private final String participant;
  private final CheckpointVerifier logKey;

  private AuditLogClient(Channel channel, String participant, CheckpointVerifier logKey) {
    this.stub = AuditLogServiceGrpc.newBlockingStub(channel);
    this.participant = participant;
    this.logKey = logKey;
  }

  /**
   * @param channel the participant's mTLS channel to the gateway
   * @param participant the participant's own code (its certificate's identity)
   * @param logKey the log's pinned public key ({@code CheckpointVerifier.fromPem} of log-key.pub.pem)
   */
  public static AuditLogClient of(Channel channel, String participant, CheckpointVerifier logKey) {
    return new AuditLogClient(Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(participant, "participant"),
        Objects.requireNonNull(logKey, "logKey"));
  }

  /** The gateway's newest checkpoint, once its signature by the pinned log key verifies. */
  public Checkpoint checkpoint() throws AuditProofException {
    try {
      return logKey.verify(rpc(s -> s.getCheckpoint(GetCheckpointRequest.getDefaultInstance())));
    } catch (CheckpointVerifier.InvalidCheckpointException e) {
      throw new AuditProofException("the gateway's checkpoint is not the log's: " + e.getMessage());
    }
  }

  /**
   * The log's entries of message {@code messageId} in {@code at}, each proved to lead to its root. Every
   * entry must name the message and this participant as its sender or recipient.
   */
  public List<AuditEntry> proveLogged(String messageId, Checkpoint at) throws AuditProofException {
    if (at.treeSize() == 0) {
      // Asked as tree_size 0 the gateway would answer for its newest checkpoint, not for this one.
      throw new AuditProofException("the checkpoint covers an empty log: it holds no entry of message " + messageId);
    }
    InclusionProofs proofs = rpc(s -> s.getInclusionProof(GetInclusionProofRequest.newBuilder()
        .setMessageId(messageId).setTreeSize(at.treeSize()).build()));
    return verifyInclusion(proofs, messageId, participant, at);
  }

  /**
   * As {@link #proveLogged(String, Checkpoint)}, for a message this participant sent: the log must also
   * hold its acceptance (ACCEPTED, or FORWARDED for a pass-through request) with the digest of exactly the
   * ciphertext that was sent.
   */
  public List<AuditEntry> proveLogged(SealedEnvelope sent, String messageId, Checkpoint at) throws AuditProofException {
    List<AuditEntry> entries = proveLogged(messageId, at);
    byte[] digest = ciphertextDigest(sent);
    boolean accepted = entries.stream().anyMatch(e -> (e.getEvent().equals("ACCEPTED") || e.getEvent().equals("FORWARDED"))
        && e.getSender().equals(participant) && Arrays.equals(e.getCiphertextDigest().toByteArray(), digest));
    if (!accepted) {
      throw new AuditProofException("the log has no acceptance of message " + messageId + " as sent by " + participant
          + " (same ciphertext digest) in its first " + at.treeSize() + " entries");
    }
    return entries;
  }

  /** Proves that {@code newer} extends {@code older}: nothing {@code older} covered was changed or dropped. */
  public void proveExtends(Checkpoint older, Checkpoint newer) throws AuditProofException {
    if (!older.origin().equals(newer.origin())) {
      throw new AuditProofException("the checkpoints are of two logs: " + older.origin() + " and " + newer.origin());
    }
    if (newer.treeSize() < older.treeSize()) {
      throw new AuditProofException("the newer checkpoint (" + newer.treeSize() + " entries) is smaller than the older ("
          + older.treeSize() + "): the log lost entries");
    }
    if (older.treeSize() == 0) {
      return; // every log extends the empty one
    }
    ConsistencyProof proof = rpc(s -> s.getConsistencyProof(GetConsistencyProofRequest.newBuilder()
        .setFirstSize(older.treeSize()).setSecondSize(newer.treeSize()).build()));
    if (proof.getFirstSize() != older.treeSize() || proof.getSecondSize() != newer.treeSize()
        || !MerkleProofs.verifyConsistency(TreeHasher.SM3, older.treeSize(), newer.treeSize(), older.rootHash(),
            newer.rootHash(), bytes(proof.getNodesList()))) {
      throw new AuditProofException("the log of " + newer.treeSize() + " entries does not extend the log of "
          + older.treeSize() + " the older checkpoint signed: an entry was rewritten or removed");
    }
  }

  /**
   * The offline check behind {@link #proveLogged(String, Checkpoint)}: each proof's entry is the
   * message's and {@code participant}'s, and its path leads to {@code at}'s root.
   */
  public static List<AuditEntry> verifyInclusion(InclusionProofs proofs, String messageId, String participant,
      Checkpoint at) throws AuditProofException {
    if (proofs.getTreeSize() != at.treeSize()) {
      throw new AuditProofException("the proofs are for a log of " + proofs.getTreeSize() + " entries, not "
          + at.treeSize());
    }
    if (proofs.getProofsCount() == 0) {
      throw new AuditProofException("no entry of message " + messageId + " was shown");
    }
    List<AuditEntry> out = new ArrayList<>();
    for (InclusionProof p : proofs.getProofsList()) {
      AuditEntry e = p.getEntry();
      if (!e.getMessageId().equals(messageId)) {
        throw new AuditProofException("an entry shown for message " + messageId + " is another message's");
      }
      if (!e.getSender().equals(participant) && !e.getRecipient().equals(participant)) {
        throw new AuditProofException("an entry of message " + messageId + " names neither sender nor recipient "
            + participant + ": it is not the message we know");
      }
      if (!MerkleProofs.verifyInclusion(TreeHasher.SM3, p.getLeafIndex(), at.treeSize(), AuditLeaf.hash(e),
          bytes(p.getAuditPathList()), at.rootHash())) {
        throw new AuditProofException("the " + e.getEvent() + " entry of message " + messageId + " at leaf "
            + p.getLeafIndex() + " does not lead to the checkpoint's root: the log was changed after it was signed, "
            + "or the entry is not what was logged");
      }
      out.add(e);
    }
    return out;
  }

  /** What the log records of a sent envelope: SM3 of its ciphertext. */
  public static byte[] ciphertextDigest(SealedEnvelope sent) {
    return Sm3.hash(sent.getCiphertext().toByteArray());
  }

  /** One call with the default deadline; a refusal or an unreachable gateway becomes a GatewayException. */
  private <T> T rpc(java.util.function.Function<AuditLogServiceGrpc.AuditLogServiceBlockingStub, T> call) {
    try {
      return call.apply(stub.withDeadlineAfter(DEFAULT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
    } catch (StatusRuntimeException e) {
      throw GatewayException.fromCall(e);
    }
  }

  private static List<byte[]> bytes(List<ByteString> in) {
    return in.stream().map(ByteString::toByteArray).toList();
  }
}
