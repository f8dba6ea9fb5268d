package io.hmb.security.merkle;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A statement of the log's state: its name (origin), how many entries it holds and their root hash, and
 * when that was signed. Its text, which the log key signs, is four lines, each ended by a newline:
 * the origin, the tree size in decimal, the root hash in standard base64, the signing time in
 * milliseconds since the Unix epoch (the shape of the C2SP tlog-checkpoint, with a time line). Parsed
 * strictly: anything else is not a checkpoint.
 */
public record Checkpoint(String origin, long treeSize, byte[] rootHash, Instant time) {
  private static final Pattern ORIGIN = Pattern.compile("[\\x21-\\x7e]{1,128}");
  private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,18}");

  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(rootHash, "rootHash");
    Objects.requireNonNull(time, "time");
    if (!ORIGIN.matcher(origin).matches()) {
      throw new IllegalArgumentException("an origin is 1 to 128 printable ASCII characters without spaces");
    }
    if (treeSize < 0 || rootHash.length != TreeHasher.SM3.hashLength() || time.toEpochMilli() < 0) {
      throw new IllegalArgumentException("a checkpoint has a size >= 0, a 32-byte root and a time after 1970");
    }
    rootHash = rootHash.clone();
    time = Instant.ofEpochMilli(time.toEpochMilli()); // the text holds milliseconds
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** The text the log key signs. */
  public byte[] note() {
    return (origin + "\n" + treeSize + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n"
        + time.toEpochMilli() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Reads a checkpoint's text. */
  public static Checkpoint parse(byte[] note) {
    String text = new String(note, StandardCharsets.UTF_8);
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("a checkpoint's text ends with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length != 4) {
      throw new IllegalArgumentException("a checkpoint has 4 lines, not " + lines.length);
    }
    if (!NUMBER.matcher(lines[1]).matches() || !NUMBER.matcher(lines[3]).matches()) {
      throw new IllegalArgumentException("a checkpoint's size and time are decimal numbers");
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a checkpoint's root hash is base64");
    }
    Checkpoint c = new Checkpoint(lines[0], Long.parseLong(lines[1]), root, Instant.ofEpochMilli(Long.parseLong(lines[3])));
    if (!java.util.Arrays.equals(c.note(), note)) {
      throw new IllegalArgumentException("a checkpoint's text is not in its one canonical form");
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c && origin.equals(c.origin) && treeSize == c.treeSize
        && java.util.Arrays.equals(rootHash, c.rootHash) && time.equals(c.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, treeSize, java.util.Arrays.hashCode(rootHash), time);
  }

  @Override
  public String toString() {
    return "Checkpoint{" + origin + ", size=" + treeSize + ", root=" + java.util.HexFormat.of().formatHex(rootHash)
        + ", time=" + time + "}";
  }
}
