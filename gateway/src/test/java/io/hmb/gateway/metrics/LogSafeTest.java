package io.hmb.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import org.junit.jupiter.api.Test;

/**
 * What a caller writes into a header reaches the log only as one safe line: attacks found against the
 * refusal log (a forged second line, a 3.5 MB line, an ID number and a name in a refused correlation id).
 */
class LogSafeTest {
  static final String ID_NUMBER = "210202198001011234";
  static final String NAME = "张三";

  @Test
  void aNewlineCannotForgeALogLineNorAQuoteEndTheField() {
    String forged = "x\n2026-12-01T00:00:00Z INFO  calls call accepted method=... \r\"";
    assertThat(LogSafe.value(forged)).doesNotContain("\n").doesNotContain("\r").doesNotContain("\"");
  }

  @Test
  void aHugeValueIsCutAndSaysHowLongItWas() {
    String huge = "a".repeat(3_500_000);
    String safe = LogSafe.value(huge);
    assertThat(safe.length()).isLessThan(LogSafe.MAX_CHARS + 40);
    assertThat(safe).endsWith("...(3500000 chars)");
  }

  @Test
  void personalDataIsMasked() {
    String safe = LogSafe.value("correlation " + ID_NUMBER + " of " + NAME + " phone 13812345678");
    assertThat(safe).doesNotContain(ID_NUMBER).doesNotContain(NAME).doesNotContain("13812345678")
        .contains("correlation").contains("phone");
  }

  @Test
  void anIdThatIsNotAUuidIsRecordedAsSuchNotAsWritten() {
    CallFacts facts = new CallFacts();
    Context.current().withValue(CallFacts.KEY, facts).run(() ->
        CallFacts.record("0b3c2f6e-6a41-4c55-9a33-2d6b8c1f9e10", ID_NUMBER + NAME + "\nforged", "MESSAGE_TYPE_X"));
    assertThat(facts.describe()).contains("messageId=0b3c2f6e-6a41-4c55-9a33-2d6b8c1f9e10")
        .contains("correlationId=(not a UUID, ").doesNotContain(ID_NUMBER).doesNotContain(NAME).doesNotContain("\n");
  }
}
