package io.hmb.conformance.suite;

import java.time.Duration;
import java.util.List;

/** The outcome of one case: what it checked, how it ended, and the exchanges it made (masked). */
public record CaseResult(String id, Capability capability, String description, String requirement, Outcome outcome,
    String message, Duration duration, List<Exchange> exchanges) {

  public enum Outcome { PASSED, FAILED, SKIPPED }

  /** One call the case made: RPC, header facts (no personal data), status and timing. */
  public record Exchange(String rpc, String requestHeader, String responseSummary, Duration took) {}

  public CaseResult {
    exchanges = List.copyOf(exchanges);
  }
}
