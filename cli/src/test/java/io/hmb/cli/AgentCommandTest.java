package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hmb agent}'s settings: a bad one is one line and exit 2, before anything starts or is written. */
class AgentCommandTest {
  @TempDir Path dir;

  private static void oneLine(HmbRun r) {
    assertThat(r.exit()).as(r.err()).isEqualTo(PlainErrors.USAGE);
    assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void withoutItsRequiredSettingsItSaysWhichAndExits2() {
    HmbRun r = HmbRun.of("agent");
    oneLine(r);
    assertThat(r.err()).startsWith("hmb agent: invalid agent configuration: ").contains("keys is required")
        .contains("gateway is required").contains("state is required");
  }

  @Test
  void aBadValueNamesItsSettingAndWhereItCameFrom() throws Exception {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    HmbRun r = HmbRun.of("agent", "--keys", keys.toString(), "--gateway", "localhost:7443", "--state",
        dir.resolve("state").toString(), "--listen", "127.0.0.1:99999", "--set", "callDeadline=forever");
    oneLine(r);
    assertThat(r.err()).contains("--set callDeadline: callDeadline must be a duration")
        .contains("listen: the port of 127.0.0.1:99999 is out of range");
    assertThat(Files.exists(dir.resolve("state"))).as("nothing written").isFalse();

    HmbRun missing = HmbRun.of("agent", "--keys", dir.resolve("nope").toString(), "--gateway", "g:1", "--state", "s");
    oneLine(missing);
    assertThat(missing.err()).contains("keys must be a directory");

    HmbRun receive = HmbRun.of("agent", "--keys", keys.toString(), "--gateway", "g:1", "--state", "s",
        "--receive", "carrier-pigeon");
    oneLine(receive);
    assertThat(receive.err()).contains("receive must be inbox, endpoint or none");
  }

  @Test
  void printConfigShowsEachValueAndItsSource() throws Exception {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Path conf = dir.resolve("agent.conf");
    Files.writeString(conf, "gateway = gw.example.org:7443\nstate = /var/lib/hmb-agent\n");
    HmbRun r = HmbRun.of("agent", "--config", conf.toString(), "--keys", keys.toString(), "--print-config");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("keys += .*keys +\\[flag --keys]")
        .containsPattern("gateway += gw.example.org:7443 +\\[file .*agent.conf:1]")
        .containsPattern("listen += 127.0.0.1:7480 +\\[default]");
  }
}
