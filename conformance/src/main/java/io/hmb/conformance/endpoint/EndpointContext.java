package io.hmb.conformance.endpoint;

import io.hmb.conformance.suite.CaseResult;
import java.time.Duration;
import java.util.List;

/** What one endpoint-mode case sees: the session, and the exchanges it records for the report. */
public record EndpointContext(EndpointSession session, List<CaseResult.Exchange> exchanges) {

  public void record(String rpc, String request, String response, Duration took) {
    exchanges.add(new CaseResult.Exchange(rpc, request, response, took));
  }
}
