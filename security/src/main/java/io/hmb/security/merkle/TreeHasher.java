package io.hmb.security.merkle;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * The hashes of an RFC 9162 Merkle tree (section 2.1.1): the empty tree's root is HASH() of nothing, a
 * leaf is HASH(0x00 || data), an interior node HASH(0x01 || left || right). The prefixes keep a leaf
 * from ever being taken for a node (second-preimage resistance). The gateway's audit log uses
 * {@link #SM3}; {@link #SHA256} is RFC 9162's own hash, here so that the tree code is checked against
 * Certificate Transparency's published test vectors.
 */
public final class TreeHasher {
  public static final TreeHasher SM3 = new TreeHasher("SM3", SM3Digest::new);
  public static final TreeHasher SHA256 = new TreeHasher("SHA-256", SHA256Digest::new);

  private static final byte LEAF = 0x00;
  private static final byte NODE = 0x01;

  private final String name;
  private final Supplier<Digest> digests;
  private final byte[] emptyRoot;

  private TreeHasher(String name, Supplier<Digest> digests) {
    this.name = name;
    this.digests = digests;
    Digest d = digests.get();
    this.emptyRoot = new byte[d.getDigestSize()];
    d.doFinal(emptyRoot, 0);
  }

  /** The size of every hash: 32 bytes for both. */
  public int hashLength() {
    return emptyRoot.length;
  }

  /** The root of the tree with no leaves. */
  public byte[] emptyRoot() {
    return emptyRoot.clone();
  }

  /** The hash of a leaf whose entry is {@code data}. */
  public byte[] leaf(byte[] data) {
    Objects.requireNonNull(data, "data");
    Digest d = digests.get();
    d.update(LEAF);
    d.update(data, 0, data.length);
    return finish(d);
  }

  /** The hash of an interior node over its two children. */
  public byte[] node(byte[] left, byte[] right) {
    checkLength(left);
    checkLength(right);
    Digest d = digests.get();
    d.update(NODE);
    d.update(left, 0, left.length);
    d.update(right, 0, right.length);
    return finish(d);
  }

  /** True when {@code hash} has this hasher's length (a proof node from the wire may not). */
  boolean wellFormed(byte[] hash) {
    return hash != null && hash.length == emptyRoot.length;
  }

  static boolean same(byte[] a, byte[] b) {
    return a != null && b != null && Arrays.equals(a, b);
  }

  private void checkLength(byte[] hash) {
    if (!wellFormed(hash)) {
      throw new IllegalArgumentException("a " + name + " tree node is " + emptyRoot.length + " bytes, not "
          + (hash == null ? "null" : hash.length));
    }
  }

  private static byte[] finish(Digest d) {
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }

  @Override
  public String toString() {
    return "TreeHasher{" + name + "}";
  }
}
