package io.hmb.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./hmb bench}: in one process tree on 127.0.0.1, with real TLS, real cryptography and the
 * embedded PostgreSQL, measures (a) a plain gRPC echo over the same TLS, (b) the cryptographic work of
 * one coverage check and of one settlement with no network, and (c) the gateway: coverage checks passed
 * through to a simulated insurer and settlements stored and forwarded to an inbox subscriber, at
 * increasing concurrency. Every gateway figure is printed as a ratio to (a) and to its own (b) of the
 * same round, since on a shared machine only same-run ratios compare; {@code --repeat} runs several
 * rounds and judges the aims on the medians of those ratios.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Load and latency of the gateway against same-run baselines (echo over TLS, crypto ceilings of a coverage "
        + "check and of a settlement).")
public final class BenchCommand implements Callable<Integer> {
  static final String JSON_FILE = "bench.json";
  static final String SVG_FILE = "bench.svg";
  /** Calls of each message type whose writes are counted (WritesPerMessage), before the rounds. */
  static final int WRITES_MESSAGES = 200;
  static final int WRITES_MESSAGES_QUICK = 20;

  @Spec CommandSpec spec;

  @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
      description = "Measured time per step (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "3s", converter = DurationConverter.class,
      description = "Unmeasured time before each step (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--jit-warmup", defaultValue = "30s", converter = DurationConverter.class,
      description = {"Before the first round, run every scenario unmeasured for this long in all, and again (up to "
          + JitWarmUp.MAX_CYCLES + " times) while the JIT compilers were busy for more than " + JitWarmUp.QUIET_PERCENT
          + "%% of it, so that their work is not charged to the rounds (default: ${DEFAULT-VALUE}; 0s: none; "
          + "--quick: none)."})
  Duration jitWarmup;

  @Option(names = "--concurrency", split = ",", defaultValue = "1,2,4,8,16,32,64",
      description = "Concurrent callers per step (default: ${DEFAULT-VALUE}).")
  List<Integer> concurrency;

  @Option(names = "--repeat", defaultValue = "1",
      description = {"Run the whole set of scenarios (echo, both crypto ceilings, gateway) this many times in turn, "
          + "and judge the aims on the median of each ratio over the rounds (default: ${DEFAULT-VALUE})."})
  int repeat;

  @Option(names = "--paced-callers", defaultValue = "64",
      description = "Callers available to the paced step at 70%% of peak (default: ${DEFAULT-VALUE}).")
  int pacedCallers;

  @Option(names = "--out", defaultValue = "bench-results",
      description = "Directory for " + JSON_FILE + ", " + SVG_FILE + " and profiles (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--quick", description = "A few seconds in total: concurrency 1,4, short steps, no soak (for tests).")
  boolean quick;

  @Option(names = "--soak", converter = DurationConverter.class,
      description = "Then run settlements for this long, sampling the heap after GC every 10 s (e.g. 10m).")
  Duration soak;

  @Option(names = "--soak-concurrency", defaultValue = "16", description = "Callers during the soak (default: ${DEFAULT-VALUE}).")
  int soakConcurrency;

  @Option(names = "--async-commit-for-questions", description = {"Run the gateway as serve --async-commit-for-questions:",
      "coverage checks commit without waiting for the disk (settlements always wait)."})
  boolean asyncCommitForQuestions;

  @Option(names = "--group-commit", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Run the gateway with group commit (the default; --no-group-commit: each record commits alone, "
          + "to compare).")
  boolean groupCommit = true;

  @Option(names = "--pg-statements", description = {"Start the embedded PostgreSQL with pg_stat_statements and print, "
      + "around the same calls as the writes per message, which statements it spends its time on per coverage check "
      + "and per delivered settlement (calls, ms, share). Costs a little on every statement: the rounds run with it "
      + "too. Off by default."})
  boolean pgStatements;

  @Option(names = "--profile", description = "Record JFR (profile settings) of each gateway scenario into --out.")
  boolean profile;

  @Option(names = "--data-dir", description = "Gateway data directory, new or empty, kept afterwards (default: a temporary one, deleted afterwards).")
  Path dataDir;

  @Option(names = "--nodes", defaultValue = "1", description = "1: the whole bench against one gateway node. "
      + "2: only coverage checks and settlements at each --concurrency, through one node and through two nodes on "
      + "one PostgreSQL (client-side round robin), side by side, with the pair's ratio to one node; writes "
      + ScaleOutBench.JSON_FILE + ". --paced-callers, --soak, --profile and --repeat apply to one node only "
      + "(default: ${DEFAULT-VALUE}).")
  int nodes;

  public BenchCommand() {}

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    Duration warm = quick ? Duration.ofMillis(500) : warmup;
    Duration measure = quick ? Duration.ofSeconds(1) : duration;
    Duration jitWarm = quick ? Duration.ZERO : jitWarmup;
    List<Integer> levels = quick ? List.of(1, 4) : concurrency.stream().distinct().sorted().toList();
    if (levels.isEmpty() || levels.get(0) < 1 || warm.isNegative() || measure.isZero() || measure.isNegative()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--concurrency needs values of at least 1 and --duration must be positive");
    }
    if (jitWarmup.isNegative()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--jit-warmup must not be negative");
    }
    if (repeat < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--repeat must be at least 1, was " + repeat);
    }
    if (nodes != 1 && nodes != 2) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--nodes must be 1 or 2, was " + nodes);
    }
    if (nodes == 2 && (soak != null || profile || repeat != 1)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--soak, --profile and --repeat apply to one node only; --nodes 2 runs the scale-out comparison alone");
    }
    if (dataDir != null && Files.isDirectory(dataDir)) {
      try (var entries = Files.list(dataDir)) {
        if (entries.findAny().isPresent()) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--data-dir " + dataDir
              + " is not empty: the bench registers its own participants with fresh keys, so give a new or empty directory");
        }
      }
    }
    int cores = Runtime.getRuntime().availableProcessors();
    List<Integer> ceilingThreads = cores > 1 ? List.of(1, cores) : List.of(1);
    Files.createDirectories(out);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("tool", "hmb bench");
    report.put("startedAt", Instant.now().toString());
    report.put("commandLine", commandLine());
    report.put("machine", MachineInfo.describe());
    report.put("loadAverageBefore", ResourceMeter.loadAverage());
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("warmupSeconds", warm.toMillis() / 1000.0);
    settings.put("jitWarmupSeconds", jitWarm.toMillis() / 1000.0);
    settings.put("stepSeconds", measure.toMillis() / 1000.0);
    settings.put("concurrency", levels);
    settings.put("cryptoCeilingThreads", ceilingThreads);
    settings.put("pacedCallers", pacedCallers);
    settings.put("repeat", repeat);
    settings.put("nodes", nodes);
    settings.put("asyncCommitForQuestions", asyncCommitForQuestions);
    settings.put("groupCommit", groupCommit);
    settings.put("pgStatements", pgStatements);
    settings.put("cipherSuite", "SM2/SM4-GCM/SM3 envelopes; transport TLS 1.3 with P-256 certificates, mTLS");
    report.put("settings", settings);
    w.printf("hmb bench: %d cores, %s, load average %s%n", cores, System.getProperty("java.runtime.version"),
        report.get("loadAverageBefore"));
    w.printf("steps of %s after %s warm-up at concurrency %s%n", human(measure), human(warm), levels);
    w.flush();

    boolean tempData = dataDir == null;
    Path data = tempData ? Files.createTempDirectory("hmb-bench-") : dataDir;
    if (nodes == 2) {
      try {
        return new ScaleOutBench(warm, measure, levels, asyncCommitForQuestions, out).run(w, report, data);
      } finally {
        if (tempData) {
          deleteRecursively(data);
        }
      }
    }
    List<Round> rounds = new ArrayList<>();
    List<WritesPerMessage.Result> writes = List.of();
    StatementsPerMessage.Measured statements = null;
    List<String> profiles = new ArrayList<>();
    Soak.Result soakResult = null;
    try (BenchRig rig = BenchRig.start(data, asyncCommitForQuestions, groupCommit, pgStatements);
         EchoBaseline echo = new EchoBaseline(Messages.sealQuery(rig.bureau, rig.lead))) {
      report.put("database", rig.databaseSettings());
      ResourceMeter meter = new ResourceMeter(rig.postgresDataDir());
      Scenarios run = new Scenarios(rig.clients(), echo, new CryptoCeiling(), meter);
      RoundOfScenarios round = new RoundOfScenarios(run, levels, ceilingThreads, pacedCallers, warm, measure,
          profile ? out : null);
      w.println("gateway on 127.0.0.1:" + rig.gateway.port() + ", data in " + data);
      int counted = quick ? WRITES_MESSAGES_QUICK : WRITES_MESSAGES;
      w.printf("writes per message: counting PostgreSQL's writes around %d coverage checks and %d settlements%n",
          counted, counted);
      w.flush();
      writes = WritesPerMessage.measure(run, rig.gateway.admin(), rig.inbox, counted);
      report.put("writesPerMessage", writes);
      if (pgStatements) {
        w.printf("statements per message: pg_stat_statements around %d coverage checks and %d settlements%n",
            counted, counted);
        w.flush();
        statements = StatementsPerMessage.measure(run, rig.gateway.admin(), rig.inbox, counted);
        statements.unavailable().ifPresent(why -> w.println("statements per message: pg_stat_statements "
            + "unavailable, carrying on without (" + why + ")"));
        report.put("statementsPerMessage", statements.unavailable().isPresent()
            ? Map.of("unavailable", statements.unavailable().get()) : statements.results());
      }
      report.put("jitWarmUp", round.warmUp(w, jitWarm));
      for (int i = 1; i <= repeat; i++) {
        if (repeat > 1) {
          w.printf("round %d of %d%n", i, repeat);
        }
        rounds.add(Round.of(i, round.run(w, repeat > 1 ? "-round" + i : "", profiles)));
      }
      if (soak != null && !quick) {
        w.printf("soak: settlements at %d callers for %s, heap after GC every %ds%n", soakConcurrency, human(soak),
            Soak.SAMPLE_EVERY.toSeconds());
        w.flush();
        soakResult = Soak.run(run, rig, soakConcurrency, soak, meter);
        for (Soak.Sample x : soakResult.samples()) {
          w.printf("  soak t=%5.0fs heap after GC %7.1f MiB  delivered %6.0f/s  delivery p99 %8.1f ms%n", x.seconds(),
              x.heapUsedMiB(), x.deliveredPerSecond(), x.deliveryP99Ms());
        }
        w.println("soak: " + soakResult.verdict());
      }
    } finally {
      if (tempData) {
        deleteRecursively(data);
      }
    }
    BenchReport.markFinished(report);
    return publish(w, report, rounds, soakResult, profiles, writes, statements);
  }

  private int publish(PrintWriter w, Map<String, Object> report, List<Round> rounds, Soak.Result soakResult,
      List<String> profiles, List<WritesPerMessage.Result> writes, StatementsPerMessage.Measured statements)
      throws IOException {
    List<MedianRatios.Row> medians = MedianRatios.of(rounds);
    List<Aim> aims = Aim.judge(medians, rounds, soakResult);
    long problems = rounds.stream().flatMap(r -> r.steps().stream()).mapToLong(Step::problems).sum()
        + (soakResult == null ? 0 : soakResult.errors() + soakResult.undelivered() + soakResult.duplicates());

    report.put("rounds", rounds);
    report.put("medians", medians);
    report.put("aims", aims);
    if (soakResult != null) {
      report.put("soak", soakResult);
    }
    report.put("profiles", profiles);
    report.put("errors", problems);
    Path json = BenchReport.writeJson(report, out.resolve(JSON_FILE));
    Path svg = out.resolve(SVG_FILE);
    Round last = rounds.get(rounds.size() - 1);
    String subtitle = String.format("%s cores, %s; load avg before %s%s", report.get("machine") instanceof Map<?, ?> m
        ? m.get("cores") : "?", report.get("startedAt"), first(report.get("loadAverageBefore")),
        rounds.size() > 1 ? "; last of " + rounds.size() + " rounds" : "");
    Files.writeString(svg, SvgChart.render(last.stepsOf(Scenarios.COVERAGE), last.stepsOf(Scenarios.SETTLEMENT),
        last.baselinePeakPerSecond(), last.ceilings().coverageCheck().perSecond(), last.stepsOf(Scenarios.BASELINE),
        subtitle), StandardCharsets.UTF_8);

    for (Round r : rounds) {
      printRound(w, r, rounds.size());
    }
    WritesPerMessage.print(w, writes);
    if (statements != null) {
      StatementsPerMessage.print(w, statements);
    }
    Tables.printMedians(w, rounds.size(), medians);
    w.println();
    w.printf("load average before %s, after %s%n", report.get("loadAverageBefore"), report.get("loadAverageAfter"));
    w.println("aims:");
    for (Aim a : aims) {
      w.printf("  %-8s %s: %s%n", a.mark(), a.aim(), a.measured());
    }
    int exit = BenchReport.exitCode(w, problems);
    w.println("wrote " + json.toAbsolutePath() + " and " + svg.toAbsolutePath());
    profiles.forEach(p -> w.println("profile " + p));
    w.flush();
    return exit;
  }

  private static void printRound(PrintWriter w, Round r, int of) {
    String round = of > 1 ? String.format("round %d of %d: ", r.round(), of) : "";
    Tables.print(w, round + "(a) baseline: plain gRPC unary echo over the same mTLS", r.stepsOf(Scenarios.BASELINE));
    Tables.print(w, round + "(b) coverage check's crypto ceiling: its cryptography alone, no network (threads)",
        r.stepsOf(Scenarios.COVERAGE_CEILING));
    Tables.print(w, round + "(b) settlement's crypto ceiling: bureau seals, gateway verifies, co-insurer opens, "
        + "no network (threads)", r.stepsOf(Scenarios.SETTLEMENT_CEILING));
    Tables.print(w, round + "(c) coverage checks through the gateway to the simulated insurer (pass-through; "
        + "x ceil = coverage check's ceiling)", r.stepsOf(Scenarios.COVERAGE));
    Tables.print(w, round + "(c) coverage checks at a fixed rate of 70% of peak (@ = offered per second)",
        r.stepsOf(Scenarios.COVERAGE_PACED));
    Tables.print(w, round + "(c) settlements stored and forwarded to the inbox subscriber, which opens them "
        + "(durable = Acceptance; x ceil = settlement's ceiling)", r.stepsOf(Scenarios.SETTLEMENT));
    w.printf("%nround %d: echo baseline peak %.0f/s; crypto ceilings: coverage check %.0f/s (%.0f per CPU-s), "
        + "settlement %.0f/s (%.0f per CPU-s)%n", r.round(), r.baselinePeakPerSecond(),
        r.ceilings().coverageCheck().perSecond(), r.ceilings().coverageCheck().perCpuSecond(),
        r.ceilings().settlement().perSecond(), r.ceilings().settlement().perCpuSecond());
  }

  private static String first(Object loadavg) {
    String s = String.valueOf(loadavg);
    return s.contains(" ") ? s.substring(0, s.indexOf(' ')) : s;
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** "hmb bench" and the options as typed; under ./hmb the original args also hold the subcommand's name. */
  private String commandLine() {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    int own = spec.root() == spec ? -1 : args.indexOf(spec.name());
    return "hmb bench " + String.join(" ", args.subList(own + 1, args.size()));
  }
}
