package io.hmb.conformance.sim;

import io.grpc.BindableService;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.client.GatewayException;
import io.hmb.conformance.sim.Resident.HouseholdRole;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./hmb simulate bureau|insurer|hospital --city ...}: runs one reference participant against a
 * gateway until SIGTERM, acting as the demo participant whose keys are in {@code --keys}. Each serves
 * its RecipientService on {@code --listen} (alias {@code --port}) and registers that endpoint with the gateway
 * itself (through the {@link EndpointRegistrar} the command line gives it); with {@code --no-register}, or when
 * that fails, it prints the command that does.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run a reference bureau, insurer or hospital against a gateway (demo keys from ./hmb serve --demo).",
    subcommands = {SimulateCommand.Bureau.class, SimulateCommand.Insurer.class, SimulateCommand.Hospital.class})
public final class SimulateCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(SimulateCommand.class);

  @Spec CommandSpec spec;
  private final EndpointRegistrar registrar;

  /** Without a registrar: each simulator prints the command that registers its endpoint. */
  public SimulateCommand() {
    this(EndpointRegistrar.UNAVAILABLE);
  }

  public SimulateCommand(EndpointRegistrar registrar) {
    this.registrar = registrar;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  /** The city's bureau: answers enrolment checks and deductions, records registrations and claim results. */
  @Command(name = "bureau", mixinStandardHelpOptions = true, description = "Run the city's bureau (BUREAU-<city>).")
  public static final class Bureau implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand SimulateCommand parent;
    @Mixin SimulationOptions options;

    public Bureau() {}

    @Override
    public Integer call() throws Exception {
      CityProfile city = options.profile();
      try (GatewayConnection connection = SimParticipant.load(options.keys, city.bureau()).connect(options.gateway)) {
        BureauSimulator bureau = BureauSimulator.builder(connection, options.population())
            .businessDay(options.businessDay(city.enrolmentDay())).flaw(options.flaw).build();
        return parent.serveUntilStopped(spec, connection, bureau.endpoint(), options, () -> {});
      }
    }
  }

  /** The lead insurer (or, with --co-insurer, the co-insurer); optionally enrols people at start. */
  @Command(name = "insurer", mixinStandardHelpOptions = true,
      description = "Run the city's lead insurer (INSURER-LEAD-<city>) or co-insurer (INSURER-CO-<city>).")
  public static final class Insurer implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand SimulateCommand parent;
    @Mixin SimulationOptions options;

    @Option(names = "--co-insurer", description = "run the co-insurer, which only records what it receives")
    boolean coInsurer;

    @Option(names = "--enrol", defaultValue = "0",
        description = "enrol the workers of the first N households at start (the bureau must be running and registered)")
    int enrol;

    @Option(names = "--product", description = "product to enrol in (default: the city's first product)")
    String product;

    public Insurer() {}

    @Override
    public Integer call() throws Exception {
      CityProfile city = options.profile();
      String code = coInsurer ? city.coInsurer() : city.leadInsurer();
      try (GatewayConnection connection = SimParticipant.load(options.keys, code).connect(options.gateway)) {
        if (coInsurer) {
          return parent.serveUntilStopped(spec, connection, new CoinsurerSimulator(connection).endpoint(), options, () -> {});
        }
        BusinessDay day = options.businessDay(city.enrolmentDay());
        InsurerSimulator insurer = InsurerSimulator.builder(connection, city.admdvs())
            .businessDay(day).flaw(options.flaw).build();
        String productCode = product != null ? product : city.products().get(0);
        Population population = options.population();
        return parent.serveUntilStopped(spec, connection, insurer.endpoint(), options, () -> {
          for (int h = 0; h < Math.min(enrol, population.households()); h++) {
            Resident worker = population.member(h, HouseholdRole.WORKER);
            boolean accountPays = ProductCatalog.shipped().get(productCode).enrolment()
                .map(t -> t.personalAccount().value().offered()).orElse(false);
            try {
              EnrolmentOutcome o = insurer.enrol(accountPays ? Application.selfPaid(worker, productCode)
                  : Application.cash(worker, productCode));
              log.info("enrolment household={} policy={} state={}", h, o.policyNumber(), o.state());
            } catch (GatewayException e) {
              log.warn("enrolment household={} failed reason={}", h, e.reason());
            }
          }
          if (enrol > 0 && options.date == null) {
            // Enrolled on a sales day; claims and quotes are judged inside the policy year, so move there.
            day.set(city.careDay());
            spec.commandLine().getOut().printf("enrolled the workers of %d household(s) on %s; now on %s, inside the "
                + "policy year (./hmb conformance --person seeded asks about the first)%n", Math.min(enrol,
                population.households()), city.enrolmentDay(), city.careDay());
            spec.commandLine().getOut().flush();
          }
        });
      }
    }
  }

  /** A hospital: admits and discharges simulated patients, quoting one-stop payouts itself. */
  @Command(name = "hospital", mixinStandardHelpOptions = true, description = "Run a hospital (HOSPITAL-<city>-NN).")
  public static final class Hospital implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand SimulateCommand parent;
    @Mixin SimulationOptions options;

    @Option(names = "--number", defaultValue = "1", description = "which demo hospital, 1 or 2 (default: ${DEFAULT-VALUE})")
    int number;

    @Option(names = "--discharges", defaultValue = "0",
        description = "admit and discharge the workers of the first N households at start")
    int discharges;

    public Hospital() {}

    @Override
    public Integer call() throws Exception {
      CityProfile city = options.profile();
      try (GatewayConnection connection = SimParticipant.load(options.keys, city.hospital(number)).connect(options.gateway)) {
        HospitalSimulator hospital = HospitalSimulator.create(connection, city.admdvs(), options.businessDay(city.careDay()),
            new SelfQuotingSettler(connection, city.admdvs(), ProductCatalog.shipped()));
        Population population = options.population();
        return parent.serveUntilStopped(spec, connection, hospital.endpoint(), options, () -> {
          for (int h = 0; h < Math.min(discharges, population.households()); h++) {
            Resident patient = population.member(h, HouseholdRole.WORKER);
            try {
              CoverageDecision d = hospital.admit(patient, city.products().get(0));
              BillSettlement s = hospital.discharge(patient, hospital.bill(7, 3_000_000, 500_000, 1_500_000));
              log.info("household={} covered={} {}", h, d.getCovered(), s);
            } catch (GatewayException e) {
              log.warn("household={} admission or discharge failed reason={}", h, e.reason());
            }
          }
        });
      }
    }
  }

  /** Serves the endpoint, registers it (or prints how to), runs {@code atStart}, then waits for SIGTERM. */
  int serveUntilStopped(CommandSpec spec, GatewayConnection connection, BindableService service,
      SimulationOptions options, Runnable atStart) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EndpointServer server = EndpointServer.start(connection.participant(),
        new java.net.InetSocketAddress(options.listenAddress, options.listen), service);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      try {
        server.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stopped.countDown();
      }
    }, "simulate-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.printf("%s (%s, flaw %s) listening on port %d%n", connection.code(), options.profile().name(), options.flaw,
        server.port());
    register(out, connection.code(), options.advertisedHost() + ":" + server.port(), options);
    out.println("Stop with Ctrl-C (SIGTERM).");
    out.flush();
    atStart.run();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Stopped from within the JVM (an embedding, a test), not by a signal: stop as the hook would. The
      // interrupt is the request to stop, served here; kept set, it would fail the connection's own close.
      Runtime.getRuntime().removeShutdownHook(hook);
      server.close();
    }
    return 0;
  }

  /** Registers the endpoint with the gateway, or says how to; a failure leaves the simulator serving. */
  private void register(PrintWriter out, String code, String hostPort, SimulationOptions options) {
    String manual = "./hmb participants set-endpoint " + code + " " + hostPort;
    if (!options.register) {
      out.printf("Tell the gateway where it is: %s%n", manual);
      return;
    }
    try {
      String where = registrar.register(code, hostPort, options.dataDir, options.keys);
      out.printf("Registered the endpoint %s with the gateway (%s)%n", hostPort, where);
    } catch (Exception e) {
      log.debug("registering the endpoint failed", e);
      out.printf("Could not register the endpoint (%s); tell the gateway yourself: %s%n",
          String.valueOf(e.getMessage()).replaceAll("[\\r\\n]+", " "), manual);
    }
  }
}
