package io.hmb.conformance.sim;

import java.nio.file.Path;
import java.time.LocalDate;
import picocli.CommandLine.Option;

/** The options every {@code ./hmb simulate} role shares. */
public final class SimulationOptions {
  @Option(names = "--city", required = true, description = "admdvs of the city: 210200 (Dalian), 620600 (Wuwei), 371500 (Liaocheng)")
  String city;

  @Option(names = "--gateway", defaultValue = "localhost:7443", description = "gateway host:port (default: ${DEFAULT-VALUE})")
  String gateway;

  @Option(names = "--keys", defaultValue = "data/demo",
      description = "directory with CODE/signing.key, CODE/tls.crt, CODE/tls.key and ca.crt (default: ${DEFAULT-VALUE})")
  Path keys;

  @Option(names = {"--listen", "--port"}, defaultValue = "0",
      description = "port of this participant's endpoint; 0 = a free port (default)")
  int listen;

  @Option(names = "--register", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = {"register the endpoint with the gateway at start, through its data directory (default);",
          "--no-register only prints the ./hmb participants set-endpoint command, e.g. when the gateway is on another host"})
  boolean register;

  @Option(names = "--data-dir", description = {"the gateway's data directory, for registering the endpoint",
      "(default: the directory above --keys, where ./hmb serve --demo writes them)"})
  Path dataDir;

  @Option(names = "--listen-address", defaultValue = "127.0.0.1", description = {"address the endpoint binds to "
      + "(default: ${DEFAULT-VALUE}, loopback only);", "0.0.0.0 for every interface, when the gateway is on another host"})
  String listenAddress;

  @Option(names = "--flaw", defaultValue = "NONE",
      description = "a deliberate defect for conformance demos: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  Flaw flaw;

  @Option(names = "--seed", defaultValue = "" + Population.DEMO_SEED, description = "seed of the simulated population (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--households", defaultValue = "" + Population.DEMO_HOUSEHOLDS, description = "households of four in the population (default: ${DEFAULT-VALUE})")
  int households;

  @Option(names = "--date", description = "the simulated business day (default: a day that suits the role and the city)")
  LocalDate date;

  /** The host the gateway dials: localhost (what the demo endpoint certificates name) unless bound to one address. */
  String advertisedHost() {
    return listenAddress.equals("127.0.0.1") || listenAddress.equals("0.0.0.0") || listenAddress.equals("::")
        ? "localhost" : listenAddress;
  }

  CityProfile profile() {
    return CityProfile.of(city);
  }

  Population population() {
    return Population.generate(city, households, seed);
  }

  BusinessDay businessDay(LocalDate fallback) {
    return new BusinessDay(date != null ? date : fallback);
  }
}
