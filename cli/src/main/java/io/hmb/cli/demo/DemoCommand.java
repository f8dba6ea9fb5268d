package io.hmb.cli.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.hmb.conformance.sim.CityProfile;
import io.hmb.gateway.admin.MessageCounts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./hmb demo}: a gateway with embedded PostgreSQL and, in the same process, the reference
 * bureau, lead insurer, co-insurer and hospital of the three demo cities, playing a policy year per
 * city through the gateway (see {@link CityPlay}), then a summary per city. Exit 0 when nothing failed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Play a policy year of the three demo cities through a real gateway and print a summary.")
public final class DemoCommand implements Callable<Integer> {
  private static final List<String> CITIES = List.of(CityProfile.DALIAN, CityProfile.LIAOCHENG, CityProfile.WUWEI);

  @Spec CommandSpec spec;

  @Option(names = "--data-dir", description = "the gateway's data directory (default: a fresh temporary one, deleted after)")
  Path dataDir;

  @Option(names = "--keep", description = "keep the temporary data directory")
  boolean keep;

  @Option(names = "--households", defaultValue = "30",
      description = "households of four per city (default: ${DEFAULT-VALUE})")
  int households;

  @Option(names = "--seed", defaultValue = "1", description = "seed of the simulated populations and bills (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--stay-every", defaultValue = "" + CareRates.DEFAULT_STAY_EVERY,
      description = "one policy in N has a hospital stay (default: ${DEFAULT-VALUE}; at least one stay per city)")
  int stayEvery;

  @Option(names = "--drug-patient-every", defaultValue = "" + CareRates.DEFAULT_DRUG_PATIENT_EVERY,
      description = "one policy in N buys special drugs monthly (default: ${DEFAULT-VALUE}; at least one patient per "
          + "drug liability in each city whose products cover special drugs)")
  int drugPatientEvery;

  public DemoCommand() {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (households < 1 || households > 2_000) {
      spec.commandLine().getErr().println("--households must be 1..2000");
      return 2;
    }
    if (stayEvery < 1 || drugPatientEvery < 1) {
      spec.commandLine().getErr().println("--stay-every and --drug-patient-every must be at least 1");
      return 2;
    }
    CareRates rates = new CareRates(stayEvery, drugPatientEvery);
    Logger hmbLog = (Logger) LoggerFactory.getLogger("io.hmb");
    Level logLevel = hmbLog.getLevel();
    // hmb's own --verbose (inherited by every command) also shows the gateway's and the simulators' INFO logs here.
    if (!spec.commandLine().getParseResult().hasMatchedOption("--verbose")) {
      hmbLog.setLevel(Level.WARN);
    }
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("hmb-demo-");
    long started = System.nanoTime();
    try {
      List<CitySummary> cities = new ArrayList<>();
      Map<String, MessageCounts.Counts> messages;
      try (DemoNetwork net = DemoNetwork.start(dir)) {
        out.printf("Gateway on localhost:%d (embedded PostgreSQL, data %s); %d households per city, seed %d%n",
            net.gateway().port(), dir, households, seed);
        out.flush();
        List<CityPlay> plays = new ArrayList<>();
        for (String admdvs : CITIES) {
          plays.add(CityPlay.start(net, CityProfile.of(admdvs), households, seed, rates, out));
        }
        out.println("Simulators up: bureau, lead insurer, co-insurer and hospital per city, endpoints registered.");
        for (CityPlay play : plays) {
          cities.add(play.play());
        }
        if (!net.awaitQuiet(Duration.ofSeconds(30))) {
          out.println("Some messages were still in flight after 30 s.");
        }
        messages = net.messagesByCity();
      }
      int failures = table(out, cities, messages);
      out.printf("Played in %.1f s. %s%n", (System.nanoTime() - started) / 1e9,
          failures == 0 ? "No failures." : failures + " failure(s).");
      out.flush();
      return failures == 0 ? 0 : 1;
    } finally {
      hmbLog.setLevel(logLevel);
      if (dataDir == null) {
        if (keep) {
          out.println("Data kept in " + dir);
        } else {
          deleteTree(dir);
        }
      }
      out.flush();
    }
  }

  /** Prints the summary; returns the failures, the gateway's dead letters and undelivered messages included. */
  private static int table(PrintWriter out, List<CitySummary> cities, Map<String, MessageCounts.Counts> messages) {
    String format = "%-10s %8s %7s %8s %15s %6s %6s %6s %15s %10s %8s %8s%n";
    out.println();
    out.printf(format, "City", "Enrolled", "Refused", "Reversed", "Premiums (¥)", "Stays", "Drugs", "Claims",
        "Payouts (¥)", "Loss ratio", "Messages", "Failures");
    int total = 0;
    for (CitySummary c : cities) {
      MessageCounts.Counts m = messages.getOrDefault(c.admdvs(), new MessageCounts.Counts(0, 0, 0));
      int failures = c.failures() + (int) (m.failed() + m.inFlight());
      total += failures;
      out.printf(format, c.name(), c.enrolled(), c.refused(), c.reversed(), CitySummary.yuan(c.premiumFen()), c.stays(),
          c.drugPurchases(), c.claims(), CitySummary.yuan(c.payoutFen()), c.lossRatio(), m.total(), failures);
    }
    out.println();
    out.println("Refused: the insurer's rules or the bureau said no (e.g. too little in the account); not a failure.");
    out.println("Drugs: special-drug purchases (特药; in Liaocheng high-cost and special-effect drugs), claimed after");
    out.println("basic settlement; 0 where the city's products cover none. Claims and payouts: stays and drugs.");
    out.println("Messages: rows in the gateway's message table for the city. Failures: anything unexpected,");
    out.println("including dead-lettered, failed or undelivered messages.");
    return total;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
