package io.hmb.gateway.metrics;

import static io.hmb.gateway.store.MessageState.ACCEPTED;
import static io.hmb.gateway.store.MessageState.DEAD_LETTERED;
import static io.hmb.gateway.store.MessageState.DELIVERED;
import static io.hmb.gateway.store.MessageState.DELIVERING;
import static io.hmb.gateway.store.MessageState.QUEUE_STATE;
import static io.hmb.gateway.store.MessageState.RETRY_WAIT;
import static io.hmb.gateway.store.MessageState.isIn;

import io.hmb.gateway.db.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's Prometheus metrics: requests by method, outcome and participant, latency histograms,
 * outbox depth and age, dead letters, signature failures; gRPC's started, handled (by status code) and
 * in-flight calls and messages per method; the JVM (memory, GC, threads, class loading), the process
 * (CPU, uptime, open files) and the database pool (HikariCP's own meters, {@link #instrument}).
 * Participant codes are bounded (the registry), so they are safe as a label; message ids and people
 * never are labels.
 */
public final class GatewayMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GatewayMetrics.class);
  /**
   * The outbox gauges, refreshed every 5 s. Each reads through a partial index (message_inbox, V11; message_dead_letters,
   * V15), so its cost follows the backlog and the dead letters, not the table: it read the whole message table, every
   * row ever accepted, when it filtered on {@code state} (no index names it).
   * Queued: store-and-forward messages not yet acknowledged nor given up (waiting, being pushed, or in an inbox).
   */
  static final String OUTBOX_GAUGES = "SELECT queued.n, coalesce(extract(epoch FROM now() - queued.oldest), 0), "
      + "(SELECT count(*) FROM message WHERE " + isIn(QUEUE_STATE, DEAD_LETTERED) + ") "
      + "FROM (SELECT count(*) AS n, min(received_at) AS oldest FROM message WHERE delivery = 'STORE_AND_FORWARD' AND "
      + isIn(QUEUE_STATE, ACCEPTED, RETRY_WAIT, DELIVERING, DELIVERED) + ") queued";

  /**
   * The latency histogram's bucket bounds, the same for every method: 12 chosen bounds (13 series with +Inf)
   * instead of Micrometer's 74 percentile buckets between 1 ms and 60 s. A 1-2-5 series reads as the
   * latencies people state ("under 50 ms", "under 1 s"), resolves the fast calls (a coverage check is a
   * few ms, a pass-through one a recipient's round trip) to a factor of 2-2.5, and past 5 s only says
   * "slow": such a call is at or near its deadline (maxCallDeadline 1 min), which the outcome label tells.
   */
  static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
      Duration.ofSeconds(5)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> inFlight =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicLong outboxDepth = new AtomicLong();
  private final AtomicLong outboxOldestAgeSeconds = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();

  public GatewayMetrics() {
    // promtool check metrics stays clean: Micrometer's process.cpu.time is in ns ("abbreviated unit"; process_cpu_usage
    // says the same as a share), and system.cpu.count would end in _count, which Prometheus reserves for histograms.
    registry.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.deny(
        id -> id.getName().equals("process.cpu.time")));
    registry.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
      @Override
      public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
      }
    });
    Gauge.builder("hmb_outbox_depth", outboxDepth, AtomicLong::get)
        .description("Store-and-forward messages accepted but not yet acknowledged").register(registry);
    Gauge.builder("hmb_outbox_oldest_age_seconds", outboxOldestAgeSeconds, AtomicLong::get)
        .description("Age of the oldest unacknowledged store-and-forward message").register(registry);
    Gauge.builder("hmb_dead_letters", deadLetters, AtomicLong::get)
        .description("Messages dead-lettered and waiting for an operator").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** HikariCP's pool meters (hikaricp_connections_active, _pending, _timeout_total, ...) for {@code pool}. */
  public void instrument(javax.sql.DataSource pool) {
    if (pool instanceof com.zaxxer.hikari.HikariDataSource hikari) {
      hikari.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
    }
  }

  /** A call arrived (grpc_server_started_total, grpc_server_in_flight). */
  void callStarted(String method) {
    Counter.builder("grpc_server_started").description("RPCs started on the server, by method")
        .tag("method", method).register(registry).increment();
    inFlight.computeIfAbsent(method, m -> {
      AtomicLong n = new AtomicLong();
      Gauge.builder("grpc_server_in_flight", n, AtomicLong::get).description("RPCs started and not yet closed")
          .tag("method", m).register(registry);
      return n;
    }).incrementAndGet();
  }

  /** A message read from (received) or written to (sent) a call's stream. */
  void message(String method, boolean received) {
    Counter.builder(received ? "grpc_server_msg_received" : "grpc_server_msg_sent")
        .description(received ? "Messages received by the server, by method" : "Messages sent by the server, by method")
        .tag("method", method).register(registry).increment();
  }

  /** A call closed with {@code code} (grpc_server_handled_total; the gRPC status, where outcome is ours). */
  void callHandled(String method, io.grpc.Status.Code code) {
    Counter.builder("grpc_server_handled").description("RPCs completed on the server, by method and gRPC status code")
        .tag("method", method).tag("code", code.name()).register(registry).increment();
    AtomicLong n = inFlight.get(method);
    if (n != null) {
      n.decrementAndGet();
    }
  }

  /** One finished RPC. {@code outcome} is OK or the ErrorInfo reason (or the gRPC code without one). */
  public void recordCall(String method, String outcome, String participant, long nanos) {
    Counter.builder("hmb_requests_total").description("RPCs by method, outcome and calling participant")
        .tag("method", method).tag("outcome", outcome).tag("participant", participant)
        .register(registry).increment();
    Timer.builder("hmb_request_seconds").description("RPC latency").tag("method", method)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    if ("SIGNATURE_INVALID".equals(outcome)) {
      Counter.builder("hmb_signature_failures_total").description("Envelopes whose signature did not verify")
          .tag("participant", participant).register(registry).increment();
    }
  }

  /** Refreshes the outbox gauges from the database (called periodically). */
  public void refreshOutbox(Transactions tx) {
    try {
      tx.read(c -> {
        try (ResultSet rs = c.createStatement().executeQuery(OUTBOX_GAUGES)) {
          rs.next();
          outboxDepth.set(rs.getLong(1));
          outboxOldestAgeSeconds.set((long) rs.getDouble(2));
          deadLetters.set(rs.getLong(3));
        }
        return null;
      });
    } catch (Exception e) {
      log.warn("outbox metrics refresh failed error={}", e.toString());
    }
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
