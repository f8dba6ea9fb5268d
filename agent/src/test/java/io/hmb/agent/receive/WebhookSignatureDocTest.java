package io.hmb.agent.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hmb.agent.store.DurableQueue;
import io.hmb.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python check of a webhook signature that docs/agent.md gives integrators, run as printed (python3 with
 * its standard library only) on a call the agent really made: it accepts the call and refuses it altered.
 */
class WebhookSignatureDocTest {
  @TempDir Path state;

  @Test
  void theDocumentedPythonCheckAcceptsTheAgentsSignatureAndRefusesAnAlteredBody() throws Exception {
    assumeTrue(python3Present(), "python3 is not installed");
    String snippet = pythonSnippet(Path.of("..", "docs", "agent.md"));
    Path script = state.resolve("verify.py");
    Files.writeString(script, snippet + "\n\nimport sys\nsecret = open(sys.argv[1], 'rb').read().strip()\n"
        + "print(verify(secret, sys.argv[2], sys.argv[3], sys.stdin.buffer.read()))\n");

    try (LocalSystem local = new LocalSystem((n, call) -> LocalSystem.Reply.of(200));
        Inbound inbound = new Inbound(DurableQueue.open(state.resolve("inbound")))) {
      WebhookDispatcher dispatcher = new WebhookDispatcher(inbound, local.url(),
          new SignedPost(WebhookSecret.loadOrCreate(state.resolve("webhook.secret")), Clock.systemUTC()));
      dispatcher.start();
      try {
        inbound.store(Fixtures.settlement("PY"));
        Await.until("the webhook call", () -> local.callCount() == 1);
      } finally {
        dispatcher.close();
      }
      LocalSystem.Call call = local.calls().get(0);
      assertThat(python(script, call, call.body())).isEqualTo("True");
      byte[] altered = call.text().replace("4823657", "4823658").getBytes(StandardCharsets.UTF_8);
      assertThat(python(script, call, altered)).isEqualTo("False");
    }
  }

  private String python(Path script, LocalSystem.Call call, byte[] body) throws Exception {
    Process p = new ProcessBuilder("python3", script.toString(), state.resolve("webhook.secret").toString(),
        call.header("Hmb-Timestamp"), call.header("Hmb-Signature")).redirectErrorStream(true).start();
    p.getOutputStream().write(body);
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** The first python block after the heading "The webhook contract". */
  static String pythonSnippet(Path doc) throws IOException {
    String text = Files.readString(doc, StandardCharsets.UTF_8);
    int section = text.indexOf("## The webhook contract");
    assertThat(section).as("docs/agent.md has the section").isNotNegative();
    int start = text.indexOf("```python\n", section);
    int end = text.indexOf("```", start + 10);
    assertThat(start).isPositive();
    return text.substring(start + "```python\n".length(), end);
  }

  private static boolean python3Present() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
