package io.hmb.conformance.cases;

import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.SubscribeRequest;
import io.hmb.conformance.sim.GatewayConnection;
import io.hmb.conformance.suite.CaseBody;
import io.hmb.conformance.suite.ConformanceCase;
import io.hmb.conformance.suite.ConformanceContext;
import io.hmb.conformance.suite.FixtureCatalog;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Adversary cases about what a caller may steer besides its own messages (issue 15, "Security II"): the
 * gateway's log, and a stream a suspended participant would hold open. One method per case, named after
 * its id; {@link #all()} is registered beside {@link AdversaryCases#all()}. What each case checks is said
 * once, in {@link ConformanceCase} (group {@link io.hmb.conformance.suite.Capability#ADVERSARY}) and
 * docs/conformance.md.
 *
 * <p>The suite sees only the answers. That a forged correlation id left one log line at the gateway, and
 * no stack trace, is checked by the gateway's own tests (HostileInputEndToEndTest), not here.
 */
public final class AdversaryLimitsCases {
  /** What a forged second log line would say. */
  static final String FORGED_LINE = "2026-12-01T00:00:00Z INFO calls call accepted method=hmb.v1.Forged";

  private AdversaryLimitsCases() {}

  public static Map<ConformanceCase, CaseBody<ConformanceContext>> all() {
    Map<ConformanceCase, CaseBody<ConformanceContext>> m = new EnumMap<>(ConformanceCase.class);
    m.put(ConformanceCase.ADVERSARY_FORGED_LOG_LINE, AdversaryLimitsCases::adversaryForgedLogLine);
    m.put(ConformanceCase.ADVERSARY_SUSPENDED_SUBSCRIBE, AdversaryLimitsCases::adversarySuspendedSubscribe);
    return m;
  }

  /** {@link ConformanceCase#ADVERSARY_FORGED_LOG_LINE}. */
  private static void adversaryForgedLogLine(ConformanceContext ctx) {
    Probe p = new Probe(ctx);
    String idNumber = ctx.session().person.getCertNumber();
    String name = ctx.session().person.getName();
    List<String> forgeries = List.of(
        UUID.randomUUID() + "\n" + FORGED_LINE,
        idNumber + " " + name + "\r\n" + FORGED_LINE,
        "x".repeat(1024 * 1024) + "\n" + FORGED_LINE);
    for (String forged : forgeries) {
      StatusRuntimeException refused = p.send(p.withHeaderRewritten(h -> h.setCorrelationId(forged)), true);
      Probe.expect(refused, ErrorReason.INVALID_HEADER_FIELD);
      String field = Errors.errorInfo(refused).map(i -> i.getMetadataMap().get("field")).orElse(null);
      if (!"correlation_id".equals(field)) {
        throw new AssertionError("a correlation id holding a line break must be refused naming field correlation_id, "
            + "named " + field);
      }
      String said = refused.getStatus().getDescription();
      if (said.chars().anyMatch(Character::isISOControl) || said.contains(FORGED_LINE) || said.contains(idNumber)
          || said.contains(name)) {
        throw new AssertionError("the refusal repeats what the caller wrote (a line break, the forged line, an ID "
            + "number or a name): " + said.substring(0, Math.min(200, said.length())));
      }
    }
  }

  /** {@link ConformanceCase#ADVERSARY_SUSPENDED_SUBSCRIBE}. */
  private static void adversarySuspendedSubscribe(ConformanceContext ctx) {
    GatewayConnection suspended = ctx.session().fixtures.actAs(FixtureCatalog.SUSPENDED);
    long start = System.nanoTime();
    try {
      boolean delivered = DeliveryServiceGrpc.newBlockingStub(suspended.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
          .subscribe(SubscribeRequest.getDefaultInstance()).hasNext();
      throw new AssertionError(FixtureCatalog.SUSPENDED + "'s Subscribe stream was opened and "
          + (delivered ? "handed over a delivery" : "ended cleanly") + "; expected SENDER_SUSPENDED");
    } catch (StatusRuntimeException e) {
      ctx.record("DeliveryService/Subscribe", "as " + FixtureCatalog.SUSPENDED, "refused "
          + Errors.reason(e).map(Enum::name).orElse(e.getStatus().getCode().name()), Duration.ofNanos(System.nanoTime() - start));
      Probe.expect(e, ErrorReason.SENDER_SUSPENDED);
    }
  }
}
