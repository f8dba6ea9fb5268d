package io.hmb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --nodes 2} in a short form: two real gateway nodes on one PostgreSQL, one level, every figure. */
class ScaleOutBenchTest {
  @TempDir Path out;

  @Test
  void comparesOneNodeWithTwoNodesOnTheSameDatabase() throws Exception {
    StringWriter printed = new StringWriter();
    int exit = new CommandLine(new BenchCommand()).setOut(new PrintWriter(printed))
        .execute("--nodes", "2", "--concurrency", "4", "--warmup", "500ms", "--duration", "1s", "--out", out.toString());

    assertThat(exit).as(printed.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(out.resolve(ScaleOutBench.JSON_FILE).toFile());
    assertThat(report.get("errors").asLong()).as(printed.toString()).isZero();
    assertThat(report.get("comparisons")).hasSize(2);
    for (JsonNode x : report.get("comparisons")) {
      assertThat(x.get("oneNode").get("throughput").asDouble()).as(x.toString()).isPositive();
      assertThat(x.get("twoNodes").get("throughput").asDouble()).as(x.toString()).isPositive();
      assertThat(x.get("throughputRatio").asDouble()).as(x.toString()).isPositive();
      // Round robin really sent calls to both nodes.
      assertThat(x.get("twoNodeCallsPerPort")).as(x.toString()).hasSize(2);
      x.get("twoNodeCallsPerPort").forEach(n -> assertThat(n.asLong()).as(x.toString()).isPositive());
    }
    assertThat(printed.toString()).contains("scale-out").contains("x pair");
  }
}
