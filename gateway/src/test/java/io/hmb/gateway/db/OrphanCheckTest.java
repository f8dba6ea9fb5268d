package io.hmb.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orphan check stops only the postmaster of its own data directory. A copied data directory (its
 * stale postmaster.pid names another, live PostgreSQL) once made an operator command stop that one.
 */
class OrphanCheckTest {
  @Test
  void aCopiedDirectorysStalePidFileDoesNotStopTheLivePostgresItNames(@TempDir Path original, @TempDir Path copy)
      throws Exception {
    Path live = original.resolve("postgres");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(live, DataDirLock.tryAcquire(original).orElseThrow())) {
      Path pidFile = live.resolve("postmaster.pid");
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
      ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(lines.get(0).trim())).orElseThrow();
      assertThat(EmbeddedDatabase.isPostmasterOf(postmaster, lines, live)).as("recognises its own postmaster").isTrue();

      Path copied = copy.resolve("postgres");
      Files.createDirectories(copied);
      Files.copy(pidFile, copied.resolve("postmaster.pid"));
      assertThat(EmbeddedDatabase.isPostmasterOf(postmaster, lines, copied)).isFalse();
      EmbeddedDatabase.stopOrphanedServerForTests(copied);
      assertThat(postmaster.isAlive()).as("the other directory's PostgreSQL still runs").isTrue();

      // A pid file rewritten to name the copy: the process was still started with -D the original.
      List<String> forged = new java.util.ArrayList<>(lines);
      forged.set(1, copied.toString());
      assertThat(EmbeddedDatabase.isPostmasterOf(postmaster, forged, copied)).isFalse();
      // A pid reused by another process: the start time does not match.
      List<String> reused = new java.util.ArrayList<>(lines);
      reused.set(2, String.valueOf(Long.parseLong(lines.get(2).trim()) - 3600));
      assertThat(EmbeddedDatabase.isPostmasterOf(postmaster, reused, live)).isFalse();
    }
  }

  @Test
  void theDirectorysOwnOrphanIsStopped(@TempDir Path dataDir) throws Exception {
    Path dir = dataDir.resolve("postgres");
    EmbeddedDatabase db = EmbeddedDatabase.start(dir, DataDirLock.tryAcquire(dataDir).orElseThrow());
    ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(
        Files.readAllLines(dir.resolve("postmaster.pid"), StandardCharsets.US_ASCII).get(0).trim())).orElseThrow();
    try {
      EmbeddedDatabase.stopOrphanedServerForTests(dir); // as if the process that started it had died
      assertThat(postmaster.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
    } finally {
      try {
        db.close();
      } catch (Exception alreadyStopped) {
        // the server is gone already; only the lock is left to release
      }
    }
  }
}
