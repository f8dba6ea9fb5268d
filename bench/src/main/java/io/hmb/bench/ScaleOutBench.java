package io.hmb.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./hmb bench --nodes 2}: coverage checks and settlements through one gateway node and through
 * two nodes on the same PostgreSQL by client-side round robin, at each concurrency level, the two
 * back to back and in alternating order (one-two, then two-one) so that both see the same machine.
 * Reports the pair's throughput, and its throughput per CPU-second, as ratios to one node of the same
 * run. On one machine the two nodes share its cores: the ratios say what spreading the load over a
 * second node costs or gains here (coordination through PostgreSQL, two JVM-side pipelines), not
 * what a second machine would add.
 */
final class ScaleOutBench {
  static final String JSON_FILE = "scale-out.json";

  /** One scenario at one concurrency, through one node and through two. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Comparison(String scenario, int concurrency, Step oneNode, Step twoNodes, Double throughputRatio,
      Double perCpuRatio, Map<Integer, Long> twoNodeCallsPerPort) {

    static Comparison of(Step one, Step two, Map<Integer, Long> callsPerPort) {
      return new Comparison(one.scenario(), one.concurrency(), one, two,
          one.throughput() > 0 ? Step.round3(two.throughput() / one.throughput()) : null,
          one.opsPerCpuSecond() > 0 ? Step.round3(two.opsPerCpuSecond() / one.opsPerCpuSecond()) : null,
          callsPerPort);
    }

    long problems() {
      return oneNode.problems() + twoNodes.problems();
    }
  }

  /** A gateway scenario run against one way of reaching the nodes. */
  @FunctionalInterface
  private interface Scenario {
    Step run(Scenarios scenarios, int concurrency) throws InterruptedException;
  }

  private final Duration warmup;
  private final Duration measure;
  private final List<Integer> levels;
  private final boolean asyncCommitForQuestions;
  private final Path out;

  ScaleOutBench(Duration warmup, Duration measure, List<Integer> levels, boolean asyncCommitForQuestions, Path out) {
    this.warmup = warmup;
    this.measure = measure;
    this.levels = levels;
    this.asyncCommitForQuestions = asyncCommitForQuestions;
    this.out = out;
  }

  /** Runs every comparison, prints the table and writes {@value #JSON_FILE}; 1 when anything failed. */
  int run(PrintWriter w, Map<String, Object> report, Path dataDir) throws Exception {
    List<Comparison> comparisons = new ArrayList<>();
    try (TwoNodeRig rig = TwoNodeRig.start(dataDir, asyncCommitForQuestions)) {
      report.put("database", rig.databaseSettings());
      report.put("nodes", Map.of("A", rig.nodeA.port(), "B", rig.nodeB.port()));
      w.printf("two gateway nodes on one PostgreSQL: A on 127.0.0.1:%d, B on 127.0.0.1:%d, data in %s%n",
          rig.nodeA.port(), rig.nodeB.port(), dataDir);
      w.flush();
      ResourceMeter meter = new ResourceMeter(rig.postgresDataDir());
      Scenario coverage = (s, n) -> s.coverage(n, warmup, measure);
      Scenario settlement = (s, n) -> s.settlement(n, warmup, measure);
      warmUp(w, rig, meter);
      for (int i = 0; i < levels.size(); i++) {
        comparisons.add(progress(w, compare(rig, meter, i % 2 == 0, coverage, levels.get(i))));
      }
      for (int i = 0; i < levels.size(); i++) {
        comparisons.add(progress(w, compare(rig, meter, i % 2 == 0, settlement, levels.get(i))));
      }
    }
    BenchReport.markFinished(report);
    long problems = comparisons.stream().mapToLong(Comparison::problems).sum();
    report.put("comparisons", comparisons);
    report.put("errors", problems);
    Path json = BenchReport.writeJson(report, out.resolve(JSON_FILE));
    print(w, comparisons);
    w.printf("load average before %s, after %s%n", report.get("loadAverageBefore"), report.get("loadAverageAfter"));
    int exit = BenchReport.exitCode(w, problems);
    w.println("wrote " + json.toAbsolutePath());
    w.flush();
    return exit;
  }

  /**
   * One unmeasured pass of each scenario through each set-up, so that no measured step pays for the
   * JIT compiling a code path the other set-up then finds compiled (the full bench has its baselines
   * for that).
   */
  private void warmUp(PrintWriter w, TwoNodeRig rig, ResourceMeter meter) throws InterruptedException {
    w.printf("warming up both set-ups (%d ms per scenario, unmeasured)%n", warmup.toMillis());
    w.flush();
    int callers = levels.get(levels.size() - 1);
    for (boolean oneNode : new boolean[] {true, false}) {
      step(rig, meter, oneNode, (s, n) -> s.coverage(n, Duration.ZERO, warmup), callers);
      step(rig, meter, oneNode, (s, n) -> s.settlement(n, Duration.ZERO, warmup), callers);
    }
  }

  private Comparison compare(TwoNodeRig rig, ResourceMeter meter, boolean oneNodeFirst, Scenario scenario, int c)
      throws InterruptedException {
    Step one = null;
    Step two = null;
    Map<Integer, Long> callsPerPort = null;
    for (boolean oneNode : oneNodeFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
      rig.callsPerNode.takeCounts();
      Step step = step(rig, meter, oneNode, scenario, c);
      if (oneNode) {
        one = step;
      } else {
        two = step;
        callsPerPort = byPort(rig.callsPerNode.takeCounts());
      }
    }
    return Comparison.of(one, two, callsPerPort);
  }

  private static Map<Integer, Long> byPort(Map<InetSocketAddress, Long> callsPerNode) {
    Map<Integer, Long> out = new TreeMap<>();
    callsPerNode.forEach((node, n) -> out.merge(node.getPort(), n, Long::sum));
    return out;
  }

  private static Step step(TwoNodeRig rig, ResourceMeter meter, boolean oneNode, Scenario scenario, int c)
      throws InterruptedException {
    Clients clients = oneNode ? rig.oneNode() : rig.twoNodes();
    try {
      return scenario.run(Scenarios.gatewayOnly(clients, meter), c);
    } finally {
      clients.inbox().close();
    }
  }

  private static Comparison progress(PrintWriter w, Comparison x) {
    w.printf("  %-15s c %3d: one node %7.0f ops/s, two nodes %7.0f ops/s (x %.2f), calls per node %s, errors %d%n",
        x.scenario(), x.concurrency(), x.oneNode().throughput(), x.twoNodes().throughput(),
        x.throughputRatio() == null ? 0 : x.throughputRatio(), x.twoNodeCallsPerPort().values(), x.problems());
    w.flush();
    return x;
  }

  private static void print(PrintWriter w, List<Comparison> comparisons) {
    w.println();
    w.println("== scale-out: the same load through one node, then through two nodes by round robin (one PostgreSQL)");
    w.printf("%-15s %5s %9s %9s %7s %8s %8s %8s %8s %7s %7s %11s %11s %9s %9s%n", "scenario", "conc", "1 node/s",
        "2 nodes/s", "x pair", "p99 1", "p99 2", "ops/cpu1", "ops/cpu2", "x cpu", "errors", "JVM cpu 1/2", "PG cpu 1/2",
        "mach% 1/2", "undel/dup");
    for (Comparison x : comparisons) {
      Step one = x.oneNode();
      Step two = x.twoNodes();
      String settlement = one.settlement() == null ? "-" : (one.settlement().undelivered() + two.settlement().undelivered())
          + "/" + (one.settlement().duplicates() + two.settlement().duplicates());
      w.printf("%-15s %5d %9.0f %9.0f %7s %8.1f %8.1f %8.0f %8.0f %7s %7d %11s %11s %9s %9s%n", x.scenario(),
          x.concurrency(), one.throughput(), two.throughput(), ratio(x.throughputRatio()), one.p99Ms(), two.p99Ms(),
          one.opsPerCpuSecond(), two.opsPerCpuSecond(), ratio(x.perCpuRatio()), x.problems(),
          String.format("%.2f/%.2f", one.jvmCpuCores(), two.jvmCpuCores()),
          String.format("%.2f/%.2f", one.postgresCpuCores(), two.postgresCpuCores()),
          String.format("%.0f/%.0f", one.machineBusyPercent(), two.machineBusyPercent()), settlement);
      for (Step s : List.of(one, two)) {
        if (s.firstError() != null) {
          w.println("       first error: " + s.firstError());
        }
      }
    }
    w.println("x pair = two nodes' ops/s over one node's; x cpu = the same per CPU-second of JVM + PostgreSQL.");
    w.println("Both nodes, PostgreSQL and the simulated parties share this machine's cores: see docs/scaling.md.");
    w.flush();
  }

  private static String ratio(Double r) {
    return r == null ? "-" : String.format("%.2f", r);
  }
}
