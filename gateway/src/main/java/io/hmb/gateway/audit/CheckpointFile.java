package io.hmb.gateway.audit;

import com.google.protobuf.ByteString;
import io.hmb.api.v1.SignedCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checkpoints a node signed, one per line, in the order signed, in a file outside the database:
 * {@code key-id SP base64(note) SP base64(signature) LF}. Only ever appended to (and forced to disk
 * before the checkpoint is published); what a database superuser cannot reach. A last line without its
 * newline is a write a crash cut short: the serving node drops it on start, a reader ignores it.
 */
final class CheckpointFile {
  private static final Pattern LINE = Pattern.compile("[0-9a-f]{32} [A-Za-z0-9+/=]+ [A-Za-z0-9+/=]+");

  /** The file's checkpoints, and every line that is not one (with its line number). */
  record Contents(List<SignedCheckpoint> checkpoints, List<String> problems) {}

  private final Path file;

  CheckpointFile(Path file) {
    this.file = file;
  }

  Path path() {
    return file;
  }

  static Contents read(Path file) throws IOException {
    List<SignedCheckpoint> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return new Contents(out, problems);
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    int end = text.lastIndexOf('\n') + 1; // a torn last line is not read
    String[] lines = text.substring(0, end).split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      String line = lines[i];
      if (!LINE.matcher(line).matches()) {
        problems.add("line " + (i + 1) + " is not a checkpoint");
        continue;
      }
      String[] parts = line.split(" ");
      try {
        out.add(SignedCheckpoint.newBuilder().setKeyId(parts[0])
            .setNote(ByteString.copyFrom(Base64.getDecoder().decode(parts[1])))
            .setSignature(ByteString.copyFrom(Base64.getDecoder().decode(parts[2]))).build());
      } catch (IllegalArgumentException e) {
        problems.add("line " + (i + 1) + " is not base64");
      }
    }
    return new Contents(out, problems);
  }

  /** Drops a last line a crash left without its newline, so the next append starts a line of its own. */
  void dropTornTail() throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    byte[] all = Files.readAllBytes(file);
    int end = all.length;
    while (end > 0 && all[end - 1] != '\n') {
      end--;
    }
    if (end < all.length) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        ch.truncate(end);
        ch.force(true);
      }
    }
  }

  /** Appends one checkpoint and forces it to disk. */
  void append(SignedCheckpoint c) throws IOException {
    String line = c.getKeyId() + " " + Base64.getEncoder().encodeToString(c.getNote().toByteArray()) + " "
        + Base64.getEncoder().encodeToString(c.getSignature().toByteArray()) + "\n";
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }
}
