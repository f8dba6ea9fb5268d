package io.hmb.conformance.cases;

import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.FamilyRelation;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.Role;
import io.hmb.client.BureauClient;
import io.hmb.client.GatewayException;
import io.hmb.client.IdempotencyKeys;
import io.hmb.client.InsurerClient;
import io.hmb.conformance.suite.CaseBody;
import io.hmb.conformance.suite.ConformanceCase;
import io.hmb.conformance.suite.ConformanceContext;
import io.hmb.conformance.suite.ConformanceSession;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Cases that play a participant trying what its certificate and key allow but its role, city or
 * product do not (issue 15, "Security II"): one method per case, named after its id, and {@link #all()}
 * the table from ids to methods, registered beside {@link GatewayCases#all()}. Self-contained: it shares
 * only {@link Probe} with the other cases. What each case checks is said once, in {@link ConformanceCase}
 * (group {@link io.hmb.conformance.suite.Capability#ADVERSARY}) and docs/conformance.md.
 */
public final class AdversaryCases {
  /** The cities of the reference network and the product each one's cases use (as ConformanceSession does). */
  private static final Map<String, String> CITY_PRODUCTS = cityProducts();
  /** The amount the cross-city deductions ask for; a refusal must not repeat it. */
  private static final long PROBE_FEN = 8900;

  private AdversaryCases() {}

  public static Map<ConformanceCase, CaseBody<ConformanceContext>> all() {
    Map<ConformanceCase, CaseBody<ConformanceContext>> m = new EnumMap<>(ConformanceCase.class);
    m.put(ConformanceCase.ADVERSARY_CROSS_CITY_DEDUCTION, AdversaryCases::adversaryCrossCityDeduction);
    m.put(ConformanceCase.ADVERSARY_LIFETIME_OVER_24H, AdversaryCases::adversaryLifetimeOver24h);
    m.put(ConformanceCase.ADVERSARY_KEY_REUSED_ACROSS_RECIPIENTS, AdversaryCases::adversaryKeyReusedAcrossRecipients);
    return m;
  }

  /** {@link ConformanceCase#ADVERSARY_CROSS_CITY_DEDUCTION}. */
  private static void adversaryCrossCityDeduction(ConformanceContext ctx) {
    ConformanceSession s = ctx.session();
    String otherCity = otherCity(ctx);
    String otherBureau = "BUREAU-" + otherCity;
    String otherProduct = CITY_PRODUCTS.get(otherCity);
    InsurerClient insurer = new InsurerClient(s.client);
    // As the finding: another city's product, debited at that city's bureau, by an insurer not in its body.
    expectNotAuthorised(ctx, "another city's product at its bureau",
        () -> insurer.requestDeduction(otherBureau, IdempotencyKeys.random(), deduction(s, otherProduct)));
    // Its own product at another city's bureau: the product's city is not the bureau's.
    expectNotAuthorised(ctx, "its own product at another city's bureau",
        () -> insurer.requestDeduction(otherBureau, IdempotencyKeys.random(), deduction(s, s.product)));
    // Another city's product at its own bureau.
    expectNotAuthorised(ctx, "another city's product at its own bureau",
        () -> insurer.requestDeduction(s.bureau, IdempotencyKeys.random(), deduction(s, otherProduct)));
  }

  /** {@link ConformanceCase#ADVERSARY_LIFETIME_OVER_24H}. */
  private static void adversaryLifetimeOver24h(ConformanceContext ctx) {
    Probe p = new Probe(ctx);
    Instant now = Instant.now();
    StatusRuntimeException sixDays = p.send(p.seal(p.header().setCreateTime(Probe.ts(now))
        .setExpireTime(Probe.ts(now.plus(Duration.ofDays(6)))), p.payload()), true);
    Probe.expect(sixDays, ErrorReason.INVALID_HEADER_FIELD);
    String field = Errors.errorInfo(sixDays).map(i -> i.getMetadataMap().get("field")).orElse(null);
    if (!"expire_time".equals(field)) {
      throw new AssertionError("a pass-through living 6 days must be refused naming field expire_time, named " + field);
    }
    // The same question living 23 hours is within the limit: the refusal was about the lifetime alone.
    StatusRuntimeException withinADay = p.send(p.seal(p.header().setCreateTime(Probe.ts(now))
        .setExpireTime(Probe.ts(now.plus(Duration.ofHours(23)))), p.payload()), true);
    if (withinADay != null) {
      throw new AssertionError("a pass-through living 23 hours must be accepted; refused "
          + Errors.reason(withinADay).map(Enum::name).orElse(withinADay.getStatus().toString()));
    }
  }

  /** {@link ConformanceCase#ADVERSARY_KEY_REUSED_ACROSS_RECIPIENTS}. */
  private static void adversaryKeyReusedAcrossRecipients(ConformanceContext ctx) {
    ConformanceSession s = ctx.session();
    String key = IdempotencyKeys.random();
    Acceptance first;
    Supplier<Acceptance> second;
    if (s.role == Role.ROLE_BUREAU) {
      // The same report under one key to two insurers of the product.
      String lead = s.client.directory().leadInsurer(s.product);
      String other = s.client.directory().product(s.product).getMembersList().stream().map(m -> m.getInsurer())
          .filter(code -> !code.equals(lead)).findFirst()
          .orElseThrow(() -> new CaseBody.Skip(s.product + " has no co-insurer to address a second time"));
      ReconciliationReport report = ReconciliationReport.newBuilder().setReportId("R-" + key)
          .setScope(ReconciliationReport.Scope.SCOPE_PREMIUM_DEDUCTIONS)
          .setTotals(ReconciliationReport.Totals.newBuilder().setCount(0).setAmountFen(0)).build();
      BureauClient bureau = new BureauClient(s.client);
      first = timed(ctx, "ReconciliationService/SubmitReport", () -> bureau.submitReconciliation(lead, key, report));
      second = () -> bureau.submitReconciliation(other, key, report);
    } else {
      // The same claim result under one key to the bureau and to a hospital of the city.
      String hospital = "HOSPITAL-" + s.city + "-01";
      requireRegistered(ctx, hospital);
      ClaimResult result = ClaimResult.newBuilder().setClaimNumber("C-" + key).setVersion(1).setProductCode(s.product)
          .setOutcome(ClaimResult.Outcome.OUTCOME_DENIED).setPayoutFen(0).build();
      InsurerClient insurer = new InsurerClient(s.client);
      first = timed(ctx, "ClaimService/PublishClaimResult", () -> insurer.publishClaimResult(s.bureau, key, result));
      second = () -> insurer.publishClaimResult(hospital, key, result);
    }
    if (first.getReplayed()) {
      throw new AssertionError("a first submission under a fresh key must not be marked replayed: " + first);
    }
    try {
      Acceptance again = timed(ctx, "to a second recipient", second);
      throw new AssertionError("the same idempotency key to another recipient must be refused with "
          + "IDEMPOTENCY_KEY_REUSED; it was accepted" + (again.getReplayed() ? " as a replay of the first message "
          + "(so the second message was dropped)" : ""));
    } catch (GatewayException e) {
      if (e.reason().orElse(null) != ErrorReason.IDEMPOTENCY_KEY_REUSED) {
        throw new AssertionError("expected IDEMPOTENCY_KEY_REUSED, got "
            + e.reason().map(Enum::name).orElse(e.status().toString()));
      }
    }
  }

  // --- helpers ---

  private static DeductionRequest deduction(ConformanceSession s, String product) {
    return DeductionRequest.newBuilder().setPayer(s.person).setInsured(s.person)
        .setRelation(FamilyRelation.FAMILY_RELATION_SELF).setProductCode(product).setPolicyNumber("ADVERSARY")
        .setAmountFen(PROBE_FEN).build();
  }

  /** A city of the reference network other than the session's, whose bureau the target has registered. */
  private static String otherCity(ConformanceContext ctx) {
    for (String city : CITY_PRODUCTS.keySet()) {
      if (!city.equals(ctx.session().city) && registered(ctx, "BUREAU-" + city)) {
        return city;
      }
    }
    throw new CaseBody.Skip("the target has no bureau of another city (" + CITY_PRODUCTS.keySet() + ")");
  }

  private static boolean registered(ConformanceContext ctx, String code) {
    try {
      ctx.session().client.directory().participant(code);
      return true;
    } catch (GatewayException unknown) {
      return false;
    }
  }

  private static void requireRegistered(ConformanceContext ctx, String code) {
    if (!registered(ctx, code)) {
      throw new CaseBody.Skip(code + " is not registered at the target");
    }
  }

  /**
   * The call must be refused NOT_AUTHORISED naming the rule (ErrorInfo metadata "rule", docs/authorisation.md),
   * and the refusal must not repeat the amount; a receipt of any kind means the bureau was asked.
   */
  private static void expectNotAuthorised(ConformanceContext ctx, String what, Runnable call) {
    long start = System.nanoTime();
    try {
      call.run();
      throw new AssertionError(what + ": expected NOT_AUTHORISED, but the deduction reached the bureau and was answered");
    } catch (GatewayException e) {
      ctx.record("PremiumService/RequestDeduction", what + " via the SDK", "refused "
          + e.reason().map(Enum::name).orElse(e.status().getCode().name()), Duration.ofNanos(System.nanoTime() - start));
      if (e.reason().orElse(null) != ErrorReason.NOT_AUTHORISED) {
        throw new AssertionError(what + ": expected NOT_AUTHORISED, got "
            + e.reason().map(Enum::name).orElse(e.status().toString()));
      }
      if (Optional.ofNullable(e.metadata().get("rule")).orElse("").isEmpty()) {
        throw new AssertionError(what + ": the refusal must name the rule in ErrorInfo metadata \"rule\"");
      }
      String said = String.valueOf(e.status().getDescription());
      if (said.contains(Long.toString(PROBE_FEN)) || said.contains(ctx.session().person.getCertNumber())) {
        throw new AssertionError(what + ": the refusal repeats an amount or a person: " + said);
      }
    }
  }

  private static <T> T timed(ConformanceContext ctx, String rpc, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      T result = call.get();
      ctx.record(rpc, "via the SDK", String.valueOf(result).replace('\n', ' '), Duration.ofNanos(System.nanoTime() - start));
      return result;
    } catch (GatewayException e) {
      ctx.record(rpc, "via the SDK", "refused " + e.reason().map(Enum::name).orElse(e.status().getCode().name()),
          Duration.ofNanos(System.nanoTime() - start));
      throw e;
    }
  }

  private static Map<String, String> cityProducts() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("210200", "dalian-2025-upgrade");
    m.put("620600", "wuwei-2025-basic");
    m.put("371500", "liaocheng-2024");
    return m;
  }
}
