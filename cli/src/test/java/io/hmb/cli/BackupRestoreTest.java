package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.gateway.Gateway;
import io.hmb.gateway.admin.MessageCounts;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Participant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hmb backup and restore, the way an operator runs them: a seeded gateway is backed up cold (and refused while it
 * runs), restored into a new directory, started there, and its registry and audit trail are the old one's.
 */
class BackupRestoreTest {
  @TempDir Path work;

  static HmbRun hmb(String... args) {
    return HmbRun.of(args);
  }

  static GatewayConfig config(Path dataDir) {
    return new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir);
  }

  @Test
  void aSeededGatewayComesBackFromItsBackupWithItsDataAndAnIntactAuditTrail() throws Exception {
    Path original = work.resolve("data");
    Path archive = work.resolve("backups/hmb-1.zip");
    // A policy year's messages through a real gateway: participants, products, messages and audit events.
    HmbRun demo = hmb("demo", "--households", "1", "--seed", "3", "--data-dir", original.toString());
    assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
    List<String> participants;
    Map<String, MessageCounts.Counts> messages;
    try (Gateway gateway = Gateway.start(config(original), Clock.systemUTC())) {
      participants = codes(gateway.admin().registry().participants());
      messages = gateway.admin().messagesByCity(new MessageCounts.Mark(0));
      HmbRun whileRunning = hmb("backup", "--data-dir", original.toString(), "--to", archive.toString());
      assertThat(whileRunning.exit()).as(whileRunning.err()).isEqualTo(1);
      assertThat(whileRunning.err()).contains("a gateway is running on").contains("stop it first")
          .doesNotContain("Exception");
      assertThat(archive).doesNotExist();
    }
    assertThat(participants).hasSizeGreaterThan(10);
    assertThat(messages.values().stream().mapToLong(MessageCounts.Counts::total).sum()).isGreaterThan(20);

    HmbRun backup = hmb("backup", "--data-dir", original.toString(), "--to", archive.toString());
    assertThat(backup.exit()).as(backup.err()).isZero();
    assertThat(backup.out()).startsWith("backed up");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo("rw-------");
    HmbRun again = hmb("backup", "--data-dir", original.toString(), "--to", archive.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("exists");

    Path restored = work.resolve("restored");
    HmbRun restore = hmb("restore", "--from", archive.toString(), "--data-dir", restored.toString());
    assertThat(restore.exit()).as(restore.err()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(restored.resolve("audit/log-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(restored.resolve("gateway.lock")).doesNotExist();
    assertThat(Files.readAllBytes(restored.resolve("tls/ca.crt")))
        .isEqualTo(Files.readAllBytes(original.resolve("tls/ca.crt")));

    try (Gateway gateway = Gateway.start(config(restored), Clock.systemUTC())) {
      assertThat(codes(gateway.admin().registry().participants())).isEqualTo(participants);
      assertThat(gateway.admin().messagesByCity(new MessageCounts.Mark(0))).isEqualTo(messages);
    }
    HmbRun verify = hmb("audit", "verify", "--data-dir", restored.toString());
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).startsWith("audit trail intact").doesNotContain(" 0 rows chained");

    HmbRun intoUsed = hmb("restore", "--from", archive.toString(), "--data-dir", restored.toString());
    assertThat(intoUsed.exit()).isEqualTo(1);
    assertThat(intoUsed.err()).contains("is not empty");
  }

  @Test
  void aDamagedArchiveRestoresNothing() throws Exception {
    Path original = work.resolve("data");
    try (Gateway gateway = Gateway.start(config(original), Clock.systemUTC())) {
      assertThat(gateway.admin().registry().participants()).isEmpty();
    }
    Path archive = work.resolve("hmb.zip");
    assertThat(hmb("backup", "--data-dir", original.toString(), "--to", archive.toString()).exit()).isZero();
    byte[] bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(archive, bytes);

    Path target = work.resolve("restored");
    HmbRun restore = hmb("restore", "--from", archive.toString(), "--data-dir", target.toString());
    assertThat(restore.exit()).isEqualTo(1);
    assertThat(restore.err()).containsAnyOf("damaged", "not a readable hmb backup").doesNotContain("Exception:");
    assertThat(target).doesNotExist();
    try (var left = Files.list(work)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("data", "hmb.zip");
    }
  }

  private static List<String> codes(List<Participant> participants) {
    return participants.stream().map(Participant::code).sorted().toList();
  }
}
