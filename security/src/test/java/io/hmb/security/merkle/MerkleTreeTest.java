package io.hmb.security.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tree against Certificate Transparency's reference vectors (RFC 6962/9162, SHA-256: the eight leaves
 * of certificate-transparency's merkle_tree_test and their roots and proofs), then every inclusion and
 * consistency proof of trees up to 40 leaves, in both hashes, against an independent recursive MTH.
 */
class MerkleTreeTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String[] CT_LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
      "606162636465666768696a6b6c6d6e6f"};
  private static final String[] CT_ROOTS = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

  /** A tree in memory, stored the way the gateway stores it: every complete subtree as its last leaf arrives. */
  static final class MemoryTree {
    final TreeHasher hasher;
    final Map<String, byte[]> nodes = new HashMap<>();
    final List<byte[]> leafHashes = new ArrayList<>();
    final CompactRange range;

    MemoryTree(TreeHasher hasher) {
      this.hasher = hasher;
      this.range = CompactRange.empty(hasher);
    }

    void add(byte[] data) {
      byte[] leaf = hasher.leaf(data);
      leafHashes.add(leaf);
      range.append(leaf, n -> nodes.put(n.level() + "/" + n.index(), n.hash()));
    }

    MerkleTree<RuntimeException> tree() {
      return new MerkleTree<>(hasher, (level, index) -> {
        byte[] h = nodes.get(level + "/" + index);
        if (h == null) {
          throw new AssertionError("read a subtree that is not complete: " + level + "/" + index);
        }
        return h;
      });
    }

    /** RFC 9162's MTH, written out from the definition over the leaf hashes alone. */
    byte[] referenceRoot(int from, int to) {
      int n = to - from;
      if (n == 1) {
        return leafHashes.get(from);
      }
      int k = Integer.highestOneBit(n - 1);
      return hasher.node(referenceRoot(from, from + k), referenceRoot(from + k, to));
    }
  }

  private static MemoryTree ctTree() {
    MemoryTree t = new MemoryTree(TreeHasher.SHA256);
    for (String leaf : CT_LEAVES) {
      t.add(HEX.parseHex(leaf));
    }
    return t;
  }

  private static List<byte[]> hexes(String... hex) {
    List<byte[]> out = new ArrayList<>();
    for (String h : hex) {
      out.add(HEX.parseHex(h));
    }
    return out;
  }

  @Test
  void rootsMatchCertificateTransparencysVectorsAtEverySize() {
    MemoryTree t = ctTree();
    assertThat(HEX.formatHex(t.tree().root(0))).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    for (int size = 1; size <= 8; size++) {
      assertThat(HEX.formatHex(t.tree().root(size))).as("root of %d leaves", size).isEqualTo(CT_ROOTS[size - 1]);
    }
    assertThat(HEX.formatHex(t.range.root())).isEqualTo(CT_ROOTS[7]);
  }

  @Test
  void proofsMatchCertificateTransparencysVectors() {
    MerkleTree<RuntimeException> tree = ctTree().tree();
    assertThat(tree.inclusionProof(0, 8)).containsExactlyElementsOf(hexes(
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
    assertThat(tree.inclusionProof(1, 5)).containsExactlyElementsOf(hexes(
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));
    assertThat(tree.consistencyProof(3, 8)).containsExactlyElementsOf(hexes(
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
    assertThat(tree.consistencyProof(1, 8)).containsExactlyElementsOf(hexes(
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"));
    assertThat(tree.consistencyProof(8, 8)).isEmpty();
  }

  @Test
  void everyProofOfTreesUpTo40LeavesVerifiesAndNoneVerifiesWhenChanged() {
    for (TreeHasher hasher : List.of(TreeHasher.SM3, TreeHasher.SHA256)) {
      MemoryTree t = new MemoryTree(hasher);
      for (int i = 0; i < 40; i++) {
        t.add(("entry " + i).getBytes());
      }
      MerkleTree<RuntimeException> tree = t.tree();
      for (int size = 1; size <= 40; size++) {
        byte[] root = tree.root(size);
        assertThat(root).as("%s root of %d", hasher, size).isEqualTo(t.referenceRoot(0, size));
        for (int index = 0; index < size; index++) {
          List<byte[]> proof = tree.inclusionProof(index, size);
          byte[] leaf = t.leafHashes.get(index);
          assertThat(MerkleProofs.verifyInclusion(hasher, index, size, leaf, proof, root)).isTrue();
          assertThat(MerkleProofs.verifyInclusion(hasher, index, size, t.leafHashes.get((index + 1) % 40), proof, root))
              .as("another leaf at %d of %d", index, size).isFalse();
          if (size > 1) {
            assertThat(MerkleProofs.verifyInclusion(hasher, (index + 1) % size, size, leaf, proof, root))
                .as("the leaf at another index").isFalse();
            assertThat(MerkleProofs.verifyInclusion(hasher, index, size, leaf, flipFirstBit(proof), root)).isFalse();
            assertThat(MerkleProofs.verifyInclusion(hasher, index, size, leaf, proof.subList(1, proof.size()), root))
                .as("a shortened path").isFalse();
          }
        }
        for (int first = 1; first <= size; first++) {
          List<byte[]> proof = tree.consistencyProof(first, size);
          byte[] firstRoot = tree.root(first);
          assertThat(MerkleProofs.verifyConsistency(hasher, first, size, firstRoot, root, proof))
              .as("%s consistency %d -> %d", hasher, first, size).isTrue();
          if (first < size) {
            assertThat(MerkleProofs.verifyConsistency(hasher, first, size, hasher.leaf("not the root".getBytes()),
                root, proof)).as("another first root").isFalse();
            assertThat(MerkleProofs.verifyConsistency(hasher, first, size, firstRoot, root, flipFirstBit(proof))).isFalse();
            assertThat(MerkleProofs.verifyConsistency(hasher, first, size, firstRoot, firstRoot, proof))
                .as("the first root as the second").isFalse();
          }
        }
      }
    }
  }

  @Test
  void aLogWhoseOldEntryWasRewrittenHasNoConsistencyProofWithItsOldRoot() {
    MemoryTree honest = new MemoryTree(TreeHasher.SM3);
    MemoryTree rewritten = new MemoryTree(TreeHasher.SM3);
    for (int i = 0; i < 20; i++) {
      honest.add(("entry " + i).getBytes());
      rewritten.add((i == 5 ? "entry 5 to another recipient" : "entry " + i).getBytes());
    }
    byte[] oldRoot = honest.tree().root(12);
    for (int size = 12; size <= 20; size++) {
      assertThat(MerkleProofs.verifyConsistency(TreeHasher.SM3, 12, size, oldRoot, rewritten.tree().root(size),
          rewritten.tree().consistencyProof(12, size))).as("rewritten log of %d", size).isFalse();
    }
  }

  @Test
  void malformedInputIsFalseNotAnException() {
    byte[] h = TreeHasher.SM3.leaf(new byte[0]);
    assertThat(MerkleProofs.verifyInclusion(TreeHasher.SM3, 0, 0, h, List.of(), h)).isFalse();
    assertThat(MerkleProofs.verifyInclusion(TreeHasher.SM3, -1, 3, h, List.of(), h)).isFalse();
    assertThat(MerkleProofs.verifyInclusion(TreeHasher.SM3, 0, 2, h, List.of(new byte[3]), h)).isFalse();
    assertThat(MerkleProofs.verifyInclusion(TreeHasher.SM3, 0, 2, h, null, h)).isFalse();
    assertThat(MerkleProofs.verifyConsistency(TreeHasher.SM3, 0, 2, h, h, List.of())).isFalse();
    assertThat(MerkleProofs.verifyConsistency(TreeHasher.SM3, 3, 2, h, h, List.of(h))).isFalse();
    assertThat(MerkleProofs.verifyConsistency(TreeHasher.SM3, 2, 3, h, h, List.of())).isFalse();
    assertThat(MerkleProofs.verifyConsistency(TreeHasher.SM3, 2, 3, h, h, List.of(new byte[31]))).isFalse();
    assertThatThrownBy(() -> ctTree().tree().inclusionProof(8, 8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ctTree().tree().consistencyProof(0, 8)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCompactRangeRebuiltFromItsEdgeContinuesTheSameTree() {
    MemoryTree t = new MemoryTree(TreeHasher.SM3);
    for (int i = 0; i < 13; i++) {
      t.add(("entry " + i).getBytes());
    }
    List<byte[]> edge = new ArrayList<>();
    for (long[] n : CompactRange.edgeOf(13)) {
      edge.add(t.nodes.get(n[0] + "/" + n[1]));
    }
    assertThat(CompactRange.edgeOf(13)).extracting(n -> n[0] + "/" + n[1]).containsExactly("3/0", "2/2", "0/12");
    CompactRange resumed = CompactRange.of(TreeHasher.SM3, 13, edge);
    assertThat(resumed.root()).isEqualTo(t.tree().root(13));
    List<String> completed = new ArrayList<>();
    resumed.append(TreeHasher.SM3.leaf("entry 13".getBytes()), n -> completed.add(n.level() + "/" + n.index()));
    t.add("entry 13".getBytes());
    assertThat(completed).containsExactly("0/13", "1/6");
    assertThat(resumed.root()).isEqualTo(t.tree().root(14));
    assertThatThrownBy(() -> CompactRange.of(TreeHasher.SM3, 13, edge.subList(0, 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCopiedRangeGrowsAloneAndTheOriginalStaysWhereItWas() {
    CompactRange original = CompactRange.empty(TreeHasher.SM3);
    for (int i = 0; i < 7; i++) {
      original.append(TreeHasher.SM3.leaf(("entry " + i).getBytes()), n -> { });
    }
    byte[] rootAt7 = original.root();
    CompactRange copy = original.copy();
    copy.append(TreeHasher.SM3.leaf("entry 7".getBytes()), n -> { });
    assertThat(original.size()).isEqualTo(7);
    assertThat(original.root()).isEqualTo(rootAt7);
    assertThat(copy.size()).isEqualTo(8);
    assertThat(copy.root()).isNotEqualTo(rootAt7);
    original.append(TreeHasher.SM3.leaf("entry 7".getBytes()), n -> { });
    assertThat(original.root()).isEqualTo(copy.root());
  }

  private static List<byte[]> flipFirstBit(List<byte[]> proof) {
    List<byte[]> out = new ArrayList<>();
    for (byte[] p : proof) {
      out.add(p.clone());
    }
    if (!out.isEmpty()) {
      out.get(0)[0] ^= 1;
    }
    return out;
  }
}
