package io.hmb.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The standard meters are bound, and the latency histogram has the chosen buckets only. */
class GatewayMetricsTest {
  @Test
  void jvmAndProcessMetersAreThere() {
    try (GatewayMetrics metrics = new GatewayMetrics()) {
      assertThat(metrics.scrape())
          .contains("jvm_memory_used_bytes{area=\"heap\"")
          .contains("jvm_gc_").contains("jvm_threads_live_threads").contains("jvm_classes_loaded_classes")
          .contains("process_cpu_usage").contains("system_cpus ").doesNotContain("system_cpu_count").contains("process_uptime_seconds")
          .contains("process_files_open_files").contains("process_files_max_files");
    }
  }

  @Test
  void theLatencyHistogramHasTwelveBoundsAndInfinityPerMethod() {
    try (GatewayMetrics metrics = new GatewayMetrics()) {
      metrics.recordCall("hmb.v1.EligibilityService/CheckCoverage", "OK", "BUREAU-210200", 3_000_000);
      metrics.recordCall("hmb.v1.EligibilityService/CheckCoverage", "OK", "BUREAU-210200", 7_000_000_000L);
      var buckets = metrics.scrape().lines().filter(l -> l.startsWith("hmb_request_seconds_bucket{")).toList();
      assertThat(buckets).hasSize(13);
      assertThat(buckets).anyMatch(l -> l.contains("le=\"0.005\"") && l.endsWith(" 1"))
          .anyMatch(l -> l.contains("le=\"0.001\"") && l.endsWith(" 0"))
          .anyMatch(l -> l.contains("le=\"5.0\"") && l.endsWith(" 1"))
          .anyMatch(l -> l.contains("le=\"+Inf\"") && l.endsWith(" 2"));
    }
  }
}
