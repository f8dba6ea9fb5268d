package io.hmb.agent.receive;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.agent.store.DurableQueue;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.SettlementData;
import io.hmb.cli.demo.DemoNetwork;
import io.hmb.client.BureauClient;
import io.hmb.gateway.admin.MessageCounts;
import io.hmb.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiving agent killed with SIGKILL while it hands messages to a slow webhook (docs/agent.md, failure
 * behaviour): the gateway holds {@value #MESSAGES} settlements for the lead insurer; the agent, in its own JVM
 * ({@link ReceivingAgent#main}), takes them from its inbox and posts them one by one; it is killed
 * {@value #KILLS} times mid-traffic and restarted on the same state. At the end every message reached the
 * webhook under its own Hmb-Message-Id, nothing is pending at the gateway or in STATE/inbound, and a message
 * came twice only if its webhook call was in flight at a kill: at most one per kill.
 */
class ReceivingCrashTest {
  static final int MESSAGES = 30;
  static final int KILLS = 3;
  static final String CITY = "210200";
  static final String LEAD = "INSURER-LEAD-" + CITY;
  /** Long enough for a child JVM's start and the whole run on a machine with a busy core. */
  static final Duration LONG = Duration.ofSeconds(120);

  @TempDir Path dir;
  private DemoNetwork net;
  private Process agent;

  @AfterEach
  void stop() throws Exception {
    kill();
    if (net != null) {
      net.close();
    }
  }

  @Test
  void killNineLosesNothingAndDuplicatesOnlyWhatWasInFlight() throws Exception {
    net = DemoNetwork.start(dir.resolve("gateway"));
    MessageCounts.Mark mark = net.gateway().admin().messageMark();
    Path state = dir.resolve("agent");
    RecordingLocalSystem webhook = net.track(new RecordingLocalSystem(state.resolve("webhook.secret"), call -> {
      Thread.sleep(100); // a slow local system: a kill often lands while a call is in flight
      return new RecordingLocalSystem.Reply(200, "");
    }));

    BureauClient bureau = new BureauClient(net.connect("BUREAU-" + CITY).client());
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < MESSAGES; i++) {
      SettlementData data = SettlementData.newBuilder().setSettlementId("CRASH-" + i).setVisitId("V-" + i)
          .setPerson(Person.newBuilder().setCertType("01").setCertNumber("210203199001011239"))
          .setMedicalFeeTotalFen(100_000L + i).build();
      Acceptance a = bureau.submitSettlement("dalian-2025-basic", "crash-" + i, data);
      sent.add(a.getMessageId());
    }
    assertThat(sent).hasSize(MESSAGES);

    for (int k = 1; k <= KILLS; k++) {
      int before = distinct(webhook);
      launch(state, webhook, k);
      int target = Math.min(MESSAGES - 1, before + MESSAGES / (KILLS + 2));
      // Killed while the webhook holds a call: that message was handed over but not yet marked, so it comes again.
      Await.until("webhook calls before kill " + k, LONG,
          () -> (distinct(webhook) >= target && webhook.inProgress() > 0) || !agent.isAlive());
      assertThat(agent.isAlive()).as("agent process %d alive until killed (log %s)", k, log(k)).isTrue();
      kill();
    }
    launch(state, webhook, KILLS + 1);
    Await.until("every message at the webhook", LONG, () -> distinct(webhook) == MESSAGES);
    Await.until("nothing in flight at the gateway", LONG, () -> {
      try {
        MessageCounts.Counts c = net.gateway().admin().messagesByCity(mark).get(CITY);
        return c != null && c.inFlight() == 0;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    // Stopped (by SIGKILL, as an operator's crash would) only after the webhook had them all.
    Await.until("the last mark on the agent's disk", LONG, () -> pendingOnDisk(state) == 0 || !agent.isAlive());
    kill();

    List<String> calls = webhook.taken().stream().map(RecordingLocalSystem.Call::messageId).toList();
    System.out.println("receiving crash test: " + calls.size() + " webhook calls taken for " + MESSAGES
        + " messages over " + KILLS + " kills");
    assertThat(new HashSet<>(calls)).isEqualTo(sent);
    assertThat(calls.size() - MESSAGES).as("duplicates (calls in flight at a kill)").isBetween(0, KILLS);
    assertThat(webhook.badSignatures()).isZero();
    try (DurableQueue inbound = DurableQueue.open(state.resolve(Receiving.INBOUND_DIR))) {
      assertThat(inbound.pendingCount()).isZero();
      assertThat(sent).allSatisfy(id -> assertThat(inbound.isDone(id)).as(id).isTrue());
    }
    MessageCounts.Counts c = net.gateway().admin().messagesByCity(mark).get(CITY);
    assertThat(c.failed()).as("dead letters").isZero();
  }

  private static int distinct(RecordingLocalSystem webhook) {
    return webhook.taken().stream().map(RecordingLocalSystem.Call::messageId).collect(Collectors.toSet()).size();
  }

  /** Pending records, counted from the directory (the child holds the queue's lock). */
  private static long pendingOnDisk(Path state) {
    try (var files = Files.list(state.resolve(Receiving.INBOUND_DIR).resolve("pending"))) {
      return files.filter(f -> !f.getFileName().toString().startsWith(".")).count();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private Path log(int run) {
    return dir.resolve("agent-" + run + ".log");
  }

  private void launch(Path state, RecordingLocalSystem webhook, int run) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        ReceivingAgent.class.getName(), net.keys().resolve(LEAD).toString(), net.keys().resolve("ca.crt").toString(),
        "localhost:" + net.gateway().port(), state.toString(), webhook.url().toString()));
    agent = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(run).toFile()).start();
    Await.until("agent process " + run + " READY", LONG, () -> {
      try {
        return !agent.isAlive() || Files.readString(log(run), StandardCharsets.UTF_8).contains("READY");
      } catch (java.io.IOException e) {
        return false;
      }
    });
    assertThat(agent.isAlive()).as("agent process %d started (log %s)", run, log(run)).isTrue();
  }

  private void kill() throws InterruptedException {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly(); // SIGKILL on Linux
      agent.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
