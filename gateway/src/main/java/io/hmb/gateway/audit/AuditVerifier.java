package io.hmb.gateway.audit;

import io.hmb.gateway.db.Transactions;
import io.hmb.security.CheckpointVerifier;
import io.hmb.security.merkle.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole check behind {@code hmb audit verify}: the SM3 chain row by row, then the Merkle log from
 * the events up against every checkpoint the node signed (its file, its public key): what the database
 * alone cannot vouch for.
 */
public final class AuditVerifier {
  private AuditVerifier() {}

  public static AuditVerification verify(AuditChain chain, Transactions tx, Path dataDir) throws SQLException, IOException {
    AuditChain.Verification v = chain.verify();
    if (!v.intact()) {
      return new AuditVerification(v.chainedEvents(), v.unchainedEvents(), -1, -1, 0, v.firstBreak());
    }
    Optional<CheckpointVerifier> verifier = AuditLogFiles.verifier(dataDir);
    List<String> problems = new ArrayList<>();
    List<Checkpoint> checkpoints = verifier.isPresent()
        ? AuditCheckpoints.readVerified(dataDir, verifier.get(), problems) : List.of();
    if (!problems.isEmpty()) {
      return new AuditVerification(v.chainedEvents(), v.unchainedEvents(), -1, -1, checkpoints.size(),
          Optional.of("the checkpoint file " + AuditLogFiles.checkpoints(dataDir) + ": " + problems.get(0)));
    }
    AuditTree.TreeCheck t = tx.inTransaction(c -> {
      c.createStatement().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      return AuditTree.verify(c, checkpoints);
    });
    return new AuditVerification(v.chainedEvents(), v.unchainedEvents(), t.treeSize(), t.checkpointSize(),
        checkpoints.size(), t.firstBreak());
  }
}
