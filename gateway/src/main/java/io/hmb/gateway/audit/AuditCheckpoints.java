package io.hmb.gateway.audit;

import io.hmb.api.v1.SignedCheckpoint;
import io.hmb.gateway.db.Transactions;
import io.hmb.security.AuditLogKey;
import io.hmb.security.CheckpointVerifier;
import io.hmb.security.merkle.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs checkpoints of the audit log on a serving node: when the tree grew, its size and root, with the
 * log key, appended to the node's checkpoint file and then published (GetCheckpoint). Before it signs, it
 * checks that the database's tree still has the root of the last checkpoint at that size: a tree that was
 * rewritten or cut below what was signed is never signed again, and the refusal is logged as an error
 * each time until an operator looks (hmb audit verify names the first changed entry).
 */
public final class AuditCheckpoints {
  private static final Logger log = LoggerFactory.getLogger(AuditCheckpoints.class);

  /** What one {@link #checkpoint()} did. */
  public enum Outcome {
    /** A new checkpoint was signed and published. */
    SIGNED,
    /** The tree has not grown since the last checkpoint. */
    UNCHANGED,
    /** The database's tree no longer extends the last checkpoint; nothing was signed. */
    REFUSED
  }

  private final Transactions tx;
  private final AuditLogKey key;
  private final CheckpointVerifier verifier;
  private final CheckpointFile file;
  private final Clock clock;
  private volatile SignedCheckpoint latest;
  private volatile Checkpoint latestParsed;

  private AuditCheckpoints(Transactions tx, AuditLogKey key, CheckpointFile file, Clock clock,
      SignedCheckpoint latest, Checkpoint latestParsed) {
    this.tx = tx;
    this.key = key;
    this.verifier = key.verifier();
    this.file = file;
    this.clock = clock;
    this.latest = latest;
    this.latestParsed = latestParsed;
  }

  /**
   * The node's signer: its key (made on first start), its checkpoint file (a torn last line dropped) and
   * the last checkpoint in it. Refuses a file with a line that is not this log's checkpoint: that is for
   * an operator to look at (hmb audit verify), not to write past.
   */
  public static AuditCheckpoints open(Path dataDir, Transactions tx, Clock clock) throws IOException {
    AuditLogKey key = AuditLogFiles.loadOrCreateKey(dataDir);
    CheckpointFile file = new CheckpointFile(AuditLogFiles.checkpoints(dataDir));
    file.dropTornTail();
    CheckpointFile.Contents contents = CheckpointFile.read(file.path());
    if (!contents.problems().isEmpty()) {
      throw new IllegalStateException(file.path() + ": " + contents.problems().get(0) + "; run hmb audit verify");
    }
    SignedCheckpoint last = null;
    Checkpoint lastParsed = null;
    for (SignedCheckpoint c : contents.checkpoints()) {
      try {
        Checkpoint parsed = key.verifier().verify(c);
        if (lastParsed != null && parsed.treeSize() < lastParsed.treeSize()) {
          throw new IllegalStateException(file.path() + " has a checkpoint smaller than the one before it; run hmb audit verify");
        }
        last = c;
        lastParsed = parsed;
      } catch (CheckpointVerifier.InvalidCheckpointException e) {
        throw new IllegalStateException(file.path() + ": " + e.getMessage() + "; run hmb audit verify", e);
      }
    }
    return new AuditCheckpoints(tx, key, file, clock, last, lastParsed);
  }

  /** The newest checkpoint signed here, if any. */
  public Optional<SignedCheckpoint> latest() {
    return Optional.ofNullable(latest);
  }

  /** Its parsed form. */
  public Optional<Checkpoint> latestCheckpoint() {
    return Optional.ofNullable(latestParsed);
  }

  /** Signs the tree as it stands when it grew and still extends the last checkpoint. */
  public synchronized Outcome checkpoint() throws SQLException, IOException {
    Checkpoint previous = latestParsed;
    record State(long size, byte[] root, byte[] rootAtPrevious) {}
    State state = tx.inTransaction(c -> {
      c.createStatement().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      long size = AuditTree.size(c);
      if (previous != null && size == previous.treeSize()) {
        return null;
      }
      if (previous != null && size < previous.treeSize()) {
        return new State(size, null, null);
      }
      var tree = AuditTree.tree(c);
      return new State(size, tree.root(size), previous == null ? null : tree.root(previous.treeSize()));
    });
    if (state == null) {
      return Outcome.UNCHANGED;
    }
    if (previous != null && (state.root() == null || !Arrays.equals(state.rootAtPrevious(), previous.rootHash()))) {
      String why = state.root() == null
          ? "the database's audit log has " + state.size() + " entries, fewer than the " + previous.treeSize()
              + " of the last checkpoint: entries were removed"
          : "the database's audit log no longer has the root of the last checkpoint (" + previous.treeSize()
              + " entries): an entry was rewritten";
      log.error("audit checkpoint refused: {}; nothing is signed until this is resolved (run hmb audit verify)", why);
      return Outcome.REFUSED;
    }
    SignedCheckpoint signed = key.sign(state.size(), state.root(), clock.instant());
    file.append(signed);
    try {
      latestParsed = verifier.verify(signed);
    } catch (CheckpointVerifier.InvalidCheckpointException e) {
      throw new IllegalStateException("a checkpoint just signed does not verify", e);
    }
    latest = signed;
    return Outcome.SIGNED;
  }

  /** Every checkpoint in a node's file, verified with the node's public key, for hmb audit verify. */
  static List<Checkpoint> readVerified(Path dataDir, CheckpointVerifier verifier, List<String> problems) throws IOException {
    CheckpointFile.Contents contents = CheckpointFile.read(AuditLogFiles.checkpoints(dataDir));
    problems.addAll(contents.problems());
    List<Checkpoint> out = new java.util.ArrayList<>();
    int line = 0;
    for (SignedCheckpoint c : contents.checkpoints()) {
      line++;
      try {
        out.add(verifier.verify(c));
      } catch (CheckpointVerifier.InvalidCheckpointException e) {
        problems.add("checkpoint " + line + ": " + e.getMessage());
      }
    }
    return out;
  }
}
