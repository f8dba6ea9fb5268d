package io.hmb.agent.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent's own durable store: a directory of records, one file each, keyed by a caller's id (an
 * idempotency key going out, the gateway's message_id coming in). A record is on disk before
 * {@link #putIfAbsent} returns (written to a temporary file, fsynced, renamed into place, the directory
 * fsynced), so a kill -9 leaves each record whole or absent, never half-written. {@link #markDone} moves a
 * record aside rather than deleting it, so a key that comes again (a redelivery after the local system
 * took the message) is recognised; done records beyond {@link #DONE_KEPT} are pruned oldest first.
 *
 * <p>One process per directory: {@link #open} takes an exclusive lock on {@code DIR/lock} and refuses a
 * second agent on the same state. Files are 0600 and the directories 0700: records hold opened payloads,
 * personal data among them. Thread-safe (one monitor; the agent's volume is a participant's, not the
 * gateway's).
 */
public final class DurableQueue implements AutoCloseable {
  /** How many done keys are remembered for recognising repeats. */
  public static final int DONE_KEPT = 100_000;
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  /** One stored record: its order of arrival, its key and its bytes. */
  public record Entry(long sequence, String key, byte[] record) {}

  private final Path pending;
  private final Path done;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<String, Long> pendingIndex = new LinkedHashMap<>();
  private final Map<String, Long> doneIndex = new LinkedHashMap<>();
  private long nextSequence;

  private DurableQueue(Path dir, FileChannel lockChannel, FileLock lock) throws IOException {
    this.pending = ensureDirectory(dir.resolve("pending"));
    this.done = ensureDirectory(dir.resolve("done"));
    this.lockChannel = lockChannel;
    this.lock = lock;
    deleteTemporaries(pending);
    long max = 0;
    for (Entry e : scan(pending)) {
      pendingIndex.put(e.key(), e.sequence());
      max = Math.max(max, e.sequence());
    }
    for (Entry e : scan(done)) {
      doneIndex.put(e.key(), e.sequence());
      max = Math.max(max, e.sequence());
    }
    this.nextSequence = max + 1;
  }

  /** Opens (creating it if needed) the queue in {@code dir}; fails if another process holds it. */
  public static DurableQueue open(Path dir) throws IOException {
    ensureDirectory(dir);
    FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException(dir + " is in use by another agent (its lock file is held); one agent per state directory");
    }
    try {
      return new DurableQueue(dir, channel, lock);
    } catch (IOException | RuntimeException e) {
      lock.release();
      channel.close();
      throw e;
    }
  }

  /** Whether {@code key} can name a record (letters, digits, {@code . _ : -}, at most 128). */
  public static boolean isValidKey(String key) {
    return key != null && KEY.matcher(key).matches();
  }

  /**
   * Stores {@code record} under {@code key} durably, unless the key is already pending or done: then
   * nothing is written and the existing entry is returned (its bytes, for a pending one; an entry with no
   * bytes for a done one), so the caller can tell a repeat from a conflict.
   */
  public synchronized Optional<Entry> putIfAbsent(String key, byte[] record) {
    requireKey(key);
    if (pendingIndex.containsKey(key)) {
      return Optional.of(read(pending, pendingIndex.get(key), key));
    }
    if (doneIndex.containsKey(key)) {
      return Optional.of(new Entry(doneIndex.get(key), key, new byte[0]));
    }
    long sequence = nextSequence++;
    Path target = pending.resolve(fileName(sequence, key));
    Path temporary = pending.resolve(".tmp-" + fileName(sequence, key));
    try {
      try (FileChannel out = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(OWNER_FILE))) {
        ByteBuffer buffer = ByteBuffer.wrap(record);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      move(temporary, target);
      syncDirectory(pending);
    } catch (IOException e) {
      throw new UncheckedIOException("could not store a record in " + pending + ": " + e.getMessage(), e);
    }
    pendingIndex.put(key, sequence);
    return Optional.empty();
  }

  /** The pending record under {@code key}, if any. */
  public synchronized Optional<Entry> pending(String key) {
    requireKey(key);
    Long sequence = pendingIndex.get(key);
    return sequence == null ? Optional.empty() : Optional.of(read(pending, sequence, key));
  }

  /** Whether {@code key} was stored and marked done (and is still remembered). */
  public synchronized boolean isDone(String key) {
    requireKey(key);
    return doneIndex.containsKey(key);
  }

  /** Every pending record, oldest first. */
  public synchronized List<Entry> pendingEntries() {
    List<Entry> all = new ArrayList<>(pendingIndex.size());
    pendingIndex.forEach((key, sequence) -> all.add(read(pending, sequence, key)));
    return all;
  }

  /** The oldest {@code max} pending records, oldest first (a long queue is not read whole for its head). */
  public synchronized List<Entry> pendingEntries(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1");
    }
    List<Entry> head = new ArrayList<>(Math.min(max, pendingIndex.size()));
    for (var e : pendingIndex.entrySet()) {
      if (head.size() == max) {
        break;
      }
      head.add(read(pending, e.getValue(), e.getKey()));
    }
    return head;
  }

  public synchronized int pendingCount() {
    return pendingIndex.size();
  }

  /**
   * Marks a pending record done, durably (a rename, then the directories fsynced); the record's bytes are
   * dropped. Returns false if the key was not pending (already done, or never stored).
   */
  public synchronized boolean markDone(String key) {
    requireKey(key);
    Long sequence = pendingIndex.get(key);
    if (sequence == null) {
      return false;
    }
    String name = fileName(sequence, key);
    try {
      // Moved first, emptied after: a kill between the two leaves a whole done record (never read again,
      // deleted when pruned), never an empty pending one that would be handed out again as a message.
      move(pending.resolve(name), done.resolve(name));
      syncDirectory(done);
      syncDirectory(pending);
      // The done copy is empty: once taken, the payload (personal data) need not stay on disk.
      Files.write(done.resolve(name), new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("could not mark " + key + " done in " + done + ": " + e.getMessage(), e);
    }
    pendingIndex.remove(key);
    doneIndex.put(key, sequence);
    prune();
    return true;
  }

  private void prune() {
    var it = doneIndex.entrySet().iterator();
    while (doneIndex.size() > DONE_KEPT && it.hasNext()) {
      var oldest = it.next();
      try {
        Files.deleteIfExists(done.resolve(fileName(oldest.getValue(), oldest.getKey())));
      } catch (IOException e) {
        return; // kept for now; pruned on a later call
      }
      it.remove();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }

  private static String fileName(long sequence, String key) {
    return String.format("%020d", sequence) + "_" + key;
  }

  private Entry read(Path dir, long sequence, String key) {
    try {
      return new Entry(sequence, key, Files.readAllBytes(dir.resolve(fileName(sequence, key))));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read record " + key + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static List<Entry> scan(Path dir) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        int underscore = name.indexOf('_');
        if (name.startsWith(".") || underscore != 20) {
          continue;
        }
        entries.add(new Entry(Long.parseLong(name.substring(0, 20)), name.substring(21), null));
      }
    }
    entries.sort(Comparator.comparingLong(Entry::sequence));
    return entries;
  }

  private static void deleteTemporaries(Path dir) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".tmp-*")) {
      for (Path f : files) {
        Files.delete(f); // a crash mid-write: the record was never acknowledged to anyone
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + from.getParent() + " cannot rename atomically", e);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static Path ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    }
    Files.setPosixFilePermissions(dir, OWNER_DIR);
    return dir;
  }

  private static void requireKey(String key) {
    if (!isValidKey(key)) {
      throw new IllegalArgumentException("not a record key (letters, digits, . _ : -, 1 to 128): " + key);
    }
  }
}
