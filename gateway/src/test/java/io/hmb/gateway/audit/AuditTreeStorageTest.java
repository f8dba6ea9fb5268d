package io.hmb.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.db.Transactions;
import io.hmb.gateway.store.MessageRef;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.security.merkle.MerkleTree;
import io.hmb.security.merkle.NodeSource;
import io.hmb.security.merkle.TreeHasher;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree stores only every fourth level (V13) and computes the rest. Whatever the passes that built it
 * (this object's edge kept in memory, a new object resuming from the stored blocks, the gateway's own
 * chainer in between), every root and proof must be the one a tree over the same leaves held whole in
 * memory gives, for every size.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTreeStorageTest {
  /** Past 256, so that a level-8 node is stored, and not a multiple of 16, so that the tail is computed. */
  private static final int EVENTS = 300;

  @TempDir static Path dataDir;
  private Gateway gateway;
  private DatabaseConsole owner;
  private DatabaseConsole sql;
  private Transactions tx;
  private List<byte[]> leaves;

  @BeforeAll
  void buildTheTreeInUnevenPasses() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
    owner = DatabaseConsole.of(dataDir);
    sql = DatabaseConsole.asGateway(dataDir);
    tx = new Transactions(sql.dataSource());
    Random random = new Random(18);
    AuditChain kept = new AuditChain(tx);
    int written = 0;
    while (written < EVENTS) {
      int batch = Math.min(EVENTS - written, 1 + random.nextInt(random.nextBoolean() ? 3 : 40));
      int first = written;
      tx.inTransaction(c -> {
        for (int i = first; i < first + batch; i++) {
          AuditLog.append(c, Instant.now(), AuditEvent.ACCEPTED, ref("m-" + i), "");
        }
        return null;
      });
      written += batch;
      // Half the passes by an object that keeps the tree's edge between them, half by one that starts cold.
      AuditChain chain = random.nextBoolean() ? kept : new AuditChain(tx);
      assertThat(chain.catchUp(Duration.ofSeconds(30))).as("caught up").isTrue();
    }
    leaves = new ArrayList<>();
    try (Connection c = sql.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT ch.position, "
        + AuditTree.EVENT_COLUMNS + " FROM audit_chain ch JOIN audit_event e ON e.id = ch.event_id ORDER BY ch.position")) {
      while (rs.next()) {
        leaves.add(AuditTree.leaf(rs, 1));
      }
    }
    assertThat(leaves).hasSize(EVENTS);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable open : new AutoCloseable[] {sql, owner, gateway}) {
      if (open != null) {
        open.close();
      }
    }
  }

  private static MessageRef ref(String id) {
    return new MessageRef(id, "BUREAU-210200", "INSURER-LEAD-210200", "MESSAGE_TYPE_SETTLEMENT_DATA", "210200", new byte[32]);
  }

  /** The tree over the same leaves with every node computed from them: the reference. */
  private MerkleTree<RuntimeException> inMemory() {
    NodeSource<RuntimeException> all = (level, index) -> subtree(index << level, 1L << level);
    return new MerkleTree<>(TreeHasher.SM3, all);
  }

  private byte[] subtree(long start, long n) {
    if (n == 1) {
      return leaves.get((int) start);
    }
    return TreeHasher.SM3.node(subtree(start, n / 2), subtree(start + n / 2, n / 2));
  }

  @Test
  void onlyEveryFourthLevelIsStoredAboutOneRowPerFifteenEvents() throws Exception {
    List<Integer> levels = new ArrayList<>();
    try (Connection c = sql.connect(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT level, count(*) FROM audit_tree GROUP BY level ORDER BY level")) {
      while (rs.next()) {
        levels.add(rs.getInt(1));
        assertThat(rs.getLong(2)).as("level " + rs.getInt(1)).isEqualTo(EVENTS >> rs.getInt(1));
      }
    }
    assertThat(levels).containsExactly(4, 8);
    try (Connection c = sql.connect()) {
      assertThat(AuditTree.size(c)).isEqualTo(EVENTS);
    }
  }

  @Test
  void everyRootAndProofIsTheWholeTreesOne() throws Exception {
    MerkleTree<RuntimeException> reference = inMemory();
    try (Connection c = sql.connect()) {
      MerkleTree<java.sql.SQLException> stored = AuditTree.tree(c);
      Random random = new Random(9162);
      for (long size = 1; size <= EVENTS; size++) {
        assertThat(stored.root(size)).as("root of %d", size).isEqualTo(reference.root(size));
        long leaf = random.nextLong(size);
        assertThat(stored.inclusionProof(leaf, size)).as("path of %d in %d", leaf, size)
            .containsExactlyElementsOf(reference.inclusionProof(leaf, size));
        long first = 1 + random.nextLong(size);
        assertThat(stored.consistencyProof(first, size)).as("consistency %d to %d", first, size)
            .containsExactlyElementsOf(reference.consistencyProof(first, size));
      }
    }
  }

  @Test
  void verifyRecomputesTheStoredBlocksAndFindsAnEventAlteredUnderOne() throws Exception {
    try (Connection c = sql.connect()) {
      assertThat(AuditTree.verify(c, List.of()).firstBreak()).isEmpty();
    }
    try (Connection c = owner.connect(); var s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET LOCAL session_replication_role = replica"); // past the append-only triggers, as a superuser could
      s.executeUpdate("UPDATE audit_event SET detail = 'rewritten' WHERE id = (SELECT event_id FROM audit_chain "
          + "WHERE position = 20)");
      c.commit();
      try (Connection v = sql.connect()) {
        Optional<String> found = AuditTree.verify(v, List.of()).firstBreak();
        assertThat(found).hasValueSatisfying(why -> assertThat(why).contains("stored subtree 4/1 is not the hash of its leaves"));
      }
      s.execute("SET LOCAL session_replication_role = replica");
      s.executeUpdate("UPDATE audit_event SET detail = '' WHERE id = (SELECT event_id FROM audit_chain WHERE position = 20)");
      c.commit();
    }
  }
}
