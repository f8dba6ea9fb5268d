package io.hmb.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One measured step, flattened for the table and the JSON. Latencies in milliseconds, CPU in cores
 * (1.0 = one core fully busy), machine busy in percent of all cores; -1 where not measurable here.
 * {@code opsPerCpuSecond} divides throughput by the CPU this process tree used (JVM + PostgreSQL): on a
 * shared machine, where each step gets a different share of the cores, it is the steadier comparison. For
 * settlements it is the operations accepted per CPU-second used until they were delivered ({@link Settlement}).
 * {@code ratioToCeiling} and {@code cpuEfficiencyToCeiling} compare throughput and that figure with the
 * step's own crypto ceiling in the same round ({@link Ceilings#forScenario}); null where it has none.
 * {@code tail}: when a paced step's slowest calls were due; null for the others.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Step(String scenario, int concurrency, Double pacedPerSecond, long completed, long errors, double seconds,
    double throughput, double p50Ms, double p99Ms, double p999Ms, double maxMs, double jvmCpuCores,
    double postgresCpuCores, double machineBusyPercent, double rssMiB, double opsPerCpuSecond, Double ratioToBaseline,
    Double ratioToCeiling, Double cpuEfficiencyToCeiling, String firstError, Settlement settlement, TailOverTime tail) {

  /**
   * Store-and-forward figures: durable = Acceptance received (committed); then the inbox drain.
   * {@code undelivered}: accepted but not received by the subscriber when the drain wait ended (lost, or
   * still queued in the gateway; the drain time says which is likelier). {@code duplicates}: received twice.
   * {@code jvmCpuSecondsThroughDrain}, {@code postgresCpuSecondsThroughDrain}: CPU used from the window's start until
   * the drain wait ended (-1: not measured). A settlement's cost includes its delivery and acknowledgement, and its
   * crypto ceiling the recipient's opening; a subscriber that falls behind defers both past the window, so a
   * settlement step's CPU per operation is charged through its drain (and so also with the warm-up's leftover
   * deliveries: a little pessimistic, never flattering).
   */
  record Settlement(long accepted, double drainMs, long undelivered, long duplicates, double deliveryP50Ms,
      double deliveryP99Ms, long subscriberErrors, double jvmCpuSecondsThroughDrain,
      double postgresCpuSecondsThroughDrain) {
    /** CPU-seconds (JVM and PostgreSQL) through the drain; -1 when not measured. */
    double cpuSecondsThroughDrain() {
      return jvmCpuSecondsThroughDrain < 0 ? -1
          : jvmCpuSecondsThroughDrain + Math.max(0, postgresCpuSecondsThroughDrain);
    }
  }

  static Step of(String scenario, ClosedLoop.Result r, Double paced, Settlement settlement) {
    Latency l = r.latency();
    ResourceMeter.Usage u = r.usage();
    return new Step(scenario, r.concurrency(), paced, r.completed(), r.errors(), round(r.seconds()),
        round(r.throughput()), ms(l.p50()), ms(l.p99()), ms(l.p999()), ms(l.max()), round(u.jvmCores()),
        nanToMinus(u.postgresCores()), nanToMinus(u.machineBusy() * 100), u.rssKib() < 0 ? -1 : round(u.rssKib() / 1024.0),
        round(settlement != null && settlement.cpuSecondsThroughDrain() > 0
            ? settlement.accepted() / settlement.cpuSecondsThroughDrain() : perCpuSecond(r.throughput(), u)),
        null, null, null, r.firstError(), settlement, r.tail());
  }

  Step withRatios(double baseline, double ceiling, double ceilingPerCpuSecond) {
    return new Step(scenario, concurrency, pacedPerSecond, completed, errors, seconds, throughput, p50Ms, p99Ms,
        p999Ms, maxMs, jvmCpuCores, postgresCpuCores, machineBusyPercent, rssMiB, opsPerCpuSecond,
        baseline > 0 ? round3(throughput / baseline) : null, ceiling > 0 ? round3(throughput / ceiling) : null,
        ceilingPerCpuSecond > 0 && opsPerCpuSecond > 0 ? round3(opsPerCpuSecond / ceilingPerCpuSecond) : null,
        firstError, settlement, tail);
  }

  private static double perCpuSecond(double throughput, ResourceMeter.Usage u) {
    double cores = u.jvmCores() + (Double.isNaN(u.postgresCores()) ? 0 : u.postgresCores());
    return cores > 0 ? throughput / cores : 0;
  }

  /** The scenario's step with the highest throughput. */
  static Optional<Step> peak(List<Step> steps, String scenario) {
    return steps.stream().filter(s -> s.scenario().equals(scenario)).max(Comparator.comparingDouble(Step::throughput));
  }

  /** Errors of the step, including undelivered or doubled settlements and subscriber failures. */
  long problems() {
    return errors + (settlement == null ? 0 : settlement.undelivered() + settlement.duplicates() + settlement.subscriberErrors());
  }

  static double ms(long micros) {
    return round3(micros / 1000.0);
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static double nanToMinus(double v) {
    return Double.isNaN(v) ? -1 : round(v);
  }
}
