package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableTest {
  static String print(Table t, boolean json) {
    StringWriter out = new StringWriter();
    t.print(new PrintWriter(out, true), json, "things");
    return out.toString();
  }

  @Test
  void aPersonGetsAHeaderOverAlignedColumnsAndACount() {
    Table t = Table.of("code", "endpoint", "attempts").row("BUREAU-210200", new Table.Shown("(inbox)", null), 3)
        .row("H", "localhost:9", 12);
    assertThat(print(t, false).lines()).containsExactly(
        "CODE           ENDPOINT     ATTEMPTS",
        "BUREAU-210200  (inbox)      3",
        "H              localhost:9  12",
        "2 things");
  }

  @Test
  void aScriptGetsOneJsonArrayWithTypesAndEscapes() {
    Table t = Table.of("code", "endpoint", "attempts", "members", "error")
        .row("B", new Table.Shown("(inbox)", null), 3, List.of(Map.of("share_bp", 7000)), "say \"no\"\n\\\u0001");
    assertThat(print(t, true)).isEqualTo("[{\"code\":\"B\",\"endpoint\":null,\"attempts\":3,"
        + "\"members\":[{\"share_bp\":7000}],\"error\":\"say \\\"no\\\"\\n\\\\\\u0001\"}]\n");
    assertThat(print(Table.of("code"), true)).isEqualTo("[]\n");
  }
}
