package io.hmb.agent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableQueueTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void recordsSurviveReopeningInTheirOrder() throws IOException {
    try (DurableQueue q = DurableQueue.open(dir)) {
      assertThat(q.putIfAbsent("k-2", b("second"))).isEmpty();
      assertThat(q.putIfAbsent("k-1", b("first? no, later"))).isEmpty();
    }
    try (DurableQueue q = DurableQueue.open(dir)) {
      assertThat(q.pendingEntries()).extracting(DurableQueue.Entry::key).containsExactly("k-2", "k-1");
      assertThat(new String(q.pending("k-2").orElseThrow().record(), StandardCharsets.UTF_8)).isEqualTo("second");
      assertThat(q.putIfAbsent("k-3", b("third"))).isEmpty();
      assertThat(q.pendingEntries()).extracting(DurableQueue.Entry::key).containsExactly("k-2", "k-1", "k-3");
    }
  }

  @Test
  void aRepeatedKeyIsNotStoredAgainAndShowsWhatIsThere() throws IOException {
    try (DurableQueue q = DurableQueue.open(dir)) {
      q.putIfAbsent("key", b("one"));
      assertThat(q.putIfAbsent("key", b("other")).orElseThrow().record()).isEqualTo(b("one"));
      assertThat(q.pendingCount()).isEqualTo(1);
    }
  }

  @Test
  void aDoneKeyIsRememberedAcrossRestartsAndItsBytesAreGone() throws IOException {
    try (DurableQueue q = DurableQueue.open(dir)) {
      q.putIfAbsent("m-1", b("payload with personal data"));
      assertThat(q.markDone("m-1")).isTrue();
      assertThat(q.markDone("m-1")).isFalse();
    }
    try (DurableQueue q = DurableQueue.open(dir)) {
      assertThat(q.isDone("m-1")).isTrue();
      assertThat(q.pendingEntries()).isEmpty();
      assertThat(q.putIfAbsent("m-1", b("redelivered"))).get().extracting(e -> e.record().length).isEqualTo(0);
      assertThat(q.pendingCount()).isZero();
    }
    try (var files = Files.list(dir.resolve("done"))) {
      assertThat(files).allSatisfy(f -> assertThat(Files.size(f)).isZero());
    }
  }

  @Test
  void aHalfWrittenTemporaryFromACrashIsDiscarded() throws IOException {
    try (DurableQueue q = DurableQueue.open(dir)) {
      q.putIfAbsent("whole", b("whole"));
    }
    Files.write(dir.resolve("pending").resolve(".tmp-00000000000000000002_half"), b("ha"));
    try (DurableQueue q = DurableQueue.open(dir)) {
      assertThat(q.pendingEntries()).extracting(DurableQueue.Entry::key).containsExactly("whole");
    }
    assertThat(dir.resolve("pending").resolve(".tmp-00000000000000000002_half")).doesNotExist();
  }

  @Test
  void oneAgentPerDirectory() throws IOException {
    try (DurableQueue first = DurableQueue.open(dir)) {
      assertThatThrownBy(() -> DurableQueue.open(dir)).isInstanceOf(IOException.class).hasMessageContaining("in use");
    }
    DurableQueue.open(dir).close();
  }

  @Test
  void recordsAreTheOwnersOnly() throws IOException {
    try (DurableQueue q = DurableQueue.open(dir)) {
      q.putIfAbsent("k", b("x"));
    }
    try (var files = Files.list(dir.resolve("pending"))) {
      assertThat(files).allSatisfy(f ->
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------"));
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
  }

  @Test
  void refusesKeysThatCouldEscapeTheDirectory() throws IOException {
    try (DurableQueue q = DurableQueue.open(dir)) {
      assertThatThrownBy(() -> q.putIfAbsent("../x", b("x"))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> q.putIfAbsent("", b("x"))).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theHeadOfTheQueueWithoutReadingItAll() throws IOException {
    try (DurableQueue q = DurableQueue.open(dir)) {
      for (int i = 0; i < 5; i++) {
        q.putIfAbsent("k-" + i, b("r" + i));
      }
      q.markDone("k-0");
      assertThat(q.pendingEntries(2)).extracting(DurableQueue.Entry::key).containsExactly("k-1", "k-2");
      assertThat(q.pendingEntries(10)).extracting(DurableQueue.Entry::key).containsExactly("k-1", "k-2", "k-3", "k-4");
      assertThat(new String(q.pendingEntries(1).get(0).record(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("r1");
      assertThatThrownBy(() -> q.pendingEntries(0)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
