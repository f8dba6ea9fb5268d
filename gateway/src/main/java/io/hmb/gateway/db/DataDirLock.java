package io.hmb.gateway.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive lock on a data directory, held by the process that runs its embedded PostgreSQL. The
 * operating system releases it when that process dies, even by kill -9; so a free lock beside a live
 * PostgreSQL means the PostgreSQL is an orphan, and a held lock means a gateway is running.
 */
public final class DataDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or empty when another process holds it. */
  public static Optional<DataDirLock> tryAcquire(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    FileChannel channel = FileChannel.open(dataDir.resolve("gateway.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    return Optional.of(new DataDirLock(channel, lock));
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
