package io.hmb.gateway.metrics;

import static io.hmb.gateway.store.MessageState.ACCEPTED;
import static io.hmb.gateway.store.MessageState.ACKNOWLEDGED;
import static io.hmb.gateway.store.MessageState.DEAD_LETTERED;
import static io.hmb.gateway.store.MessageState.DELIVERED;
import static io.hmb.gateway.store.MessageState.DELIVERING;
import static io.hmb.gateway.store.MessageState.RETRY_WAIT;
import static io.hmb.gateway.store.MessageState.isIn;
import static io.hmb.gateway.store.MessageState.notIn;

import io.hmb.gateway.db.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's Prometheus metrics: requests by method, outcome and participant, latency histograms,
 * outbox depth and age, dead letters, signature failures. Participant codes are bounded (the
 * registry), so they are safe as a label; message ids and people never are labels.
 */
public final class GatewayMetrics {
  private static final Logger log = LoggerFactory.getLogger(GatewayMetrics.class);
  /** Store-and-forward messages not yet acknowledged nor given up: waiting, being pushed, or in an inbox. */
  private static final String QUEUED = isIn(ACCEPTED, RETRY_WAIT, DELIVERING, DELIVERED);
  private static final String OUTBOX_GAUGES = "SELECT "
      + "count(*) FILTER (WHERE " + QUEUED + "), "
      + "coalesce(extract(epoch FROM now() - min(received_at) FILTER (WHERE " + QUEUED + ")), 0), "
      + "count(*) FILTER (WHERE " + isIn(DEAD_LETTERED) + ") "
      + "FROM message WHERE delivery = 'STORE_AND_FORWARD' AND " + notIn(ACKNOWLEDGED);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong outboxDepth = new AtomicLong();
  private final AtomicLong outboxOldestAgeSeconds = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();

  public GatewayMetrics() {
    Gauge.builder("hmb_outbox_depth", outboxDepth, AtomicLong::get)
        .description("Store-and-forward messages accepted but not yet acknowledged").register(registry);
    Gauge.builder("hmb_outbox_oldest_age_seconds", outboxOldestAgeSeconds, AtomicLong::get)
        .description("Age of the oldest unacknowledged store-and-forward message").register(registry);
    Gauge.builder("hmb_dead_letters", deadLetters, AtomicLong::get)
        .description("Messages dead-lettered and waiting for an operator").register(registry);
  }

  /** One finished RPC. {@code outcome} is OK or the ErrorInfo reason (or the gRPC code without one). */
  public void recordCall(String method, String outcome, String participant, long nanos) {
    Counter.builder("hmb_requests_total").description("RPCs by method, outcome and calling participant")
        .tag("method", method).tag("outcome", outcome).tag("participant", participant)
        .register(registry).increment();
    Timer.builder("hmb_request_seconds").description("RPC latency").tag("method", method)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
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
}
