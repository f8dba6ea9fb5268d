package io.hmb.conformance.suite;

import java.time.Duration;
import java.util.List;

/** What one case sees: the session, and the exchanges it records for the report. */
public record ConformanceContext(ConformanceSession session, List<CaseResult.Exchange> exchanges) {

  public void record(String rpc, String request, String response, Duration took) {
    exchanges.add(new CaseResult.Exchange(rpc, request, response, took));
  }
}
