package io.hmb.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.cli.Hmb;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./hmb demo} with a few households per city: a clean run through a real gateway. */
class DemoCommandTest {
  @TempDir Path dataDir;

  @Test
  void playsAPolicyYearInEachCityWithoutFailures() throws Exception {
    CommandLine cli = Hmb.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));

    int exit = cli.execute("demo", "--households", "4", "--seed", "7", "--data-dir", dataDir.toString());

    String text = out.toString();
    assertThat(exit).as(text).isZero();
    for (String city : List.of("Dalian", "Liaocheng", "Wuwei")) {
      String[] row = Arrays.stream(text.split("\\R")).filter(l -> l.startsWith(city + " ")).findFirst()
          .orElseThrow(() -> new AssertionError("no summary row for " + city + " in\n" + text)).trim().split("\\s+");
      assertThat(row).as(text).hasSize(11);
      assertThat(Integer.parseInt(row[1])).as("enrolled in " + city).isPositive();
      assertThat(Integer.parseInt(row[6])).as("claims in " + city).isPositive();
      assertThat(Integer.parseInt(row[9])).as("messages in " + city).isPositive();
      assertThat(row[10]).as("failures in " + city).isEqualTo("0");
    }
    assertThat(text).contains("[Dalian] ", "[Liaocheng] ", "[Wuwei] ", "No failures.")
        .contains("reversed one premium").doesNotContain("FAILURE");
    assertThat(Files.exists(dataDir.resolve("demo"))).isTrue();
  }
}
