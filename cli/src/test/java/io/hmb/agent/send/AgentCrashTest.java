package io.hmb.agent.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.agent.AgentMain;
import io.hmb.agent.send.AgentHttp.Reply;
import io.hmb.cli.demo.DemoNetwork;
import io.hmb.client.RecipientEndpoint;
import io.hmb.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's crash test (issue 20, "nothing lost"): the agent runs in a JVM of its own
 * ({@link AgentMain}) and is killed with SIGKILL several times while a local caller posts settlements, each with
 * its own idempotency key, retrying on a broken connection or a 502/503 until it gets 200 or 202; each time the
 * agent is restarted on the same state directory. At the end the real gateway delivered each settlement exactly
 * once (one message id per settlement at the co-insurer, none missing), every 202 included.
 */
class AgentCrashTest {
  static final int SETTLEMENTS = 40;
  static final int KILLS = 3;

  @TempDir Path dir;
  Process agent;

  @AfterEach
  void killChild() throws Exception {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aKilledAgentLosesAndDuplicatesNothing() throws Exception {
    Map<String, Set<String>> delivered = new ConcurrentHashMap<>();
    try (DemoNetwork net = DemoNetwork.start(dir.resolve("gateway"))) {
      RecipientEndpoint co = RecipientEndpoint.builder(net.connect(AgentSendingTest.CO).client())
          .onSettlementData((s, ctx) -> delivered.computeIfAbsent(s.getSettlementId(), k -> ConcurrentHashMap.newKeySet())
              .add(ctx.messageId()))
          .build();
      net.serveRegistered(AgentSendingTest.CO, co);
      int port;
      try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Path state = dir.resolve("agent");
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
          "--keys", net.keys().resolve(AgentSendingTest.BUREAU).toString(),
          "--gateway", "localhost:" + net.gateway().port(), "--state", state.toString(),
          "--listen", "127.0.0.1:" + port);
      String base = "http://127.0.0.1:" + port;
      start(command, base, 0);
      AgentHttp http = AgentHttp.of(base, state.resolve("access.token"));

      Map<String, Integer> answered = new ConcurrentHashMap<>();
      AtomicInteger failures = new AtomicInteger();
      AtomicBoolean done = new AtomicBoolean();
      Thread caller = new Thread(() -> {
        for (int i = 0; i < SETTLEMENTS; i++) {
          String body = AgentSendingTest.settlement("crash-agent-" + i, "S-CRASH-" + i);
          answered.put("crash-agent-" + i, untilAnswered(http, body, failures));
        }
        done.set(true);
      }, "local-caller");
      caller.start();

      for (int kill = 0; kill < KILLS && !done.get(); kill++) {
        int before = answered.size();
        int more = 3 + kill;
        Await.until("settlements through the agent before kill " + (kill + 1), Duration.ofMinutes(2),
            () -> done.get() || answered.size() >= before + more);
        if (done.get()) {
          break;
        }
        agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        start(command, base, kill + 1);
      }
      caller.join(TimeUnit.MINUTES.toMillis(3));
      assertThat(done).as("the caller got an answer for every settlement").isTrue();
      assertThat(answered.values()).allMatch(s -> s == 200 || s == 202);
      assertThat(failures.get()).as("the kills really interrupted the caller").isPositive();

      Await.until("every settlement at the co-insurer", Duration.ofMinutes(2),
          () -> delivered.keySet().stream().filter(k -> k.startsWith("S-CRASH-")).count() == SETTLEMENTS);
      for (int i = 0; i < SETTLEMENTS; i++) {
        assertThat(delivered.get("S-CRASH-" + i)).as("message ids of S-CRASH-" + i).hasSize(1);
        String key = "crash-agent-" + i;
        Await.until(key + " accepted at the agent", () -> "ACCEPTED".equals(AgentSendingTest.outboundStatus(http, key)));
      }
      agent.destroy();
      agent.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private void start(List<String> command, String base, int run) throws Exception {
    agent = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("agent-" + run + ".log").toFile()).start();
    AgentHttp health = new AgentHttp(base, "none");
    Await.until("the agent (run " + run + ") serving", Duration.ofMinutes(1), () -> {
      if (!agent.isAlive()) {
        throw new IllegalStateException("the agent exited: " + log(run));
      }
      try {
        return health.get("/v1/health").status() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
  }

  private String log(int run) {
    try {
      return Files.readString(dir.resolve("agent-" + run + ".log"));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** Posts until the agent answers 200 or 202, as a local system that kept its key does. */
  static int untilAnswered(AgentHttp http, String body, AtomicInteger failures) {
    for (int tries = 0; tries < 600; tries++) {
      try {
        Reply r = http.post("/v1/settlement-data", body);
        if (r.status() == 200 || r.status() == 202) {
          return r.status();
        }
        if (r.status() != 502 && r.status() != 503) {
          throw new AssertionError("the agent refused a settlement: " + r);
        }
      } catch (IOException e) {
        // the agent was killed mid-call, or is not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      failures.incrementAndGet();
      try {
        Thread.sleep(100); // a caller's retry delay, not synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no answer after 600 tries");
  }
}
