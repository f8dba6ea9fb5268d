package io.hmb.cli.demo;

import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.Relation;
import io.hmb.adapters.enrolment.EnrolmentRules;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.client.GatewayException;
import io.hmb.conformance.sim.Application;
import io.hmb.conformance.sim.BureauSimulator;
import io.hmb.conformance.sim.BusinessDay;
import io.hmb.conformance.sim.CityProfile;
import io.hmb.conformance.sim.CoinsurerSimulator;
import io.hmb.conformance.sim.DischargeSettlement;
import io.hmb.conformance.sim.DischargeSettler;
import io.hmb.conformance.sim.EnrolmentOutcome;
import io.hmb.conformance.sim.GatewayConnection;
import io.hmb.conformance.sim.HospitalSimulator;
import io.hmb.conformance.sim.InsurerSimulator;
import io.hmb.conformance.sim.Policy;
import io.hmb.conformance.sim.Population;
import io.hmb.conformance.sim.PremiumReconciliation;
import io.hmb.conformance.sim.Resident;
import io.hmb.conformance.sim.Resident.HouseholdRole;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * One city's policy year through the gateway: the city's bureau, lead insurer, co-insurer and a
 * hospital (reference simulators, in this process, on their own mTLS ports) enrol the population over
 * a few sales days with a daily reconciliation, reverse one premium before the effective date, then
 * admit and discharge patients during the policy year (one-stop where the city settles one-stop,
 * offline claims otherwise). Anything that should not happen is counted as a failure and printed
 * without personal data.
 */
final class CityPlay {
  static final int SALES_DAYS = 3;
  /** One policy in this many has a hospital stay during the year. */
  static final int STAY_EVERY = 6;
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ProductCatalog CATALOG = ProductCatalog.shipped();

  private final CityProfile city;
  private final int households;
  private final long seed;
  private final PrintWriter out;
  private final BusinessDay day;
  private final BureauSimulator bureau;
  private final InsurerSimulator lead;
  private final HospitalSimulator hospital;

  private int applications;
  private int refused;
  private int reversed;
  private int stays;
  private int oneStop;
  private int claims;
  private long payoutFen;
  private int failures;
  private final Map<String, Integer> refusals = new TreeMap<>();

  private CityPlay(CityProfile city, int households, long seed, PrintWriter out, BusinessDay day, BureauSimulator bureau,
      InsurerSimulator lead, HospitalSimulator hospital) {
    this.city = city;
    this.households = households;
    this.seed = seed;
    this.out = out;
    this.day = day;
    this.bureau = bureau;
    this.lead = lead;
    this.hospital = hospital;
  }

  /** Connects the city's simulators to the gateway and registers their endpoints. */
  static CityPlay start(DemoNetwork net, CityProfile city, int households, long seed, PrintWriter out) throws Exception {
    BusinessDay day = new BusinessDay(city.enrolmentDay());
    GatewayConnection bureauLine = net.connect(city.bureau());
    GatewayConnection leadLine = net.connect(city.leadInsurer());
    GatewayConnection coLine = net.connect(city.coInsurer());
    GatewayConnection hospitalLine = net.connect(city.hospital(1));
    BureauSimulator bureau = BureauSimulator.builder(bureauLine, Population.generate(city.admdvs(), households, seed))
        .businessDay(day).build();
    InsurerSimulator lead = InsurerSimulator.builder(leadLine, city.admdvs()).businessDay(day).build();
    CoinsurerSimulator coinsurer = new CoinsurerSimulator(coLine);
    HospitalSimulator hospital = HospitalSimulator.create(hospitalLine, city.admdvs(), day, DischargeSettler.through(bureau));
    net.serveRegistered(bureauLine, bureau.endpoint());
    net.serveRegistered(leadLine, lead.endpoint());
    net.serveRegistered(coLine, coinsurer.endpoint());
    net.serveRegistered(hospitalLine, hospital.endpoint());
    return new CityPlay(city, households, seed, out, day, bureau, lead, hospital);
  }

  /** Plays the year and returns the city's figures (messages are counted by the caller, from the gateway). */
  CitySummary play() throws InterruptedException {
    enrolment();
    awaitRegistrations();
    care();
    if (city.admdvs().equals(CityProfile.DALIAN)) {
      progress("special-drug purchases skipped: the reference simulators have no special-drug purchase yet");
    }
    List<Policy> active = active();
    return new CitySummary(city.name(), city.admdvs(), active.size(), refused, reversed,
        active.stream().mapToLong(Policy::premiumFen).sum(), stays, oneStop, claims, payoutFen, failures);
  }

  // ---- sales window ----

  private void enrolment() {
    progress("sales window opens %s; %d households, premiums %s", city.enrolmentDay(), households,
        city.admdvs().equals(CityProfile.WUWEI) ? "paid in cash (outside the gateway)"
            : city.admdvs().equals(CityProfile.LIAOCHENG) ? "from personal accounts, workers paying for family"
                : "from personal accounts");
    for (int d = 0; d < SALES_DAYS; d++) {
      LocalDate today = city.enrolmentDay().plusDays(d);
      day.set(today);
      int before = active().size();
      for (int h = d; h < households; h += SALES_DAYS) {
        for (Application a : applications(h)) {
          apply(a);
        }
      }
      if (d == 0) {
        reverseOne(today);
      }
      reconcile(today);
      progress("%s enrolled %d (total %d of %d applications, refused %d)", today, active().size() - before,
          active().size(), applications, refused);
    }
    if (!refusals.isEmpty()) {
      progress("refusals: %s", refusals);
    }
  }

  /** What household {@code h} applies for: workers (and account-holding spouses) pay themselves; see the class doc. */
  private List<Application> applications(int h) {
    Population people = bureau.population();
    String product = city.products().get(h % city.products().size());
    boolean account = CATALOG.get(product).enrolment().map(t -> t.personalAccount().value().offered()).orElse(false);
    Resident worker = people.member(h, HouseholdRole.WORKER);
    Resident spouse = people.member(h, HouseholdRole.SPOUSE);
    Resident child = people.member(h, HouseholdRole.CHILD);
    Resident parent = people.member(h, HouseholdRole.PARENT);
    List<Application> out = new ArrayList<>();
    if (!account) {
      out.add(Application.cash(worker, product));
      out.add(Application.cash(child, product));
      return out;
    }
    out.add(Application.selfPaid(worker, product));
    if (city.admdvs().equals(CityProfile.LIAOCHENG)) {
      out.add(Application.paidBy(child, worker, Relation.CHILD, product));
      out.add(Application.paidBy(parent, worker, Relation.PARENT, product));
    } else if (spouse.personalAccount()) {
      out.add(Application.selfPaid(spouse, product));
    }
    return out;
  }

  private void apply(Application a) {
    applications++;
    try {
      EnrolmentOutcome o = lead.enrol(a);
      if (!o.enrolled()) {
        refused++;
        String why = o.refusal().orElse("?");
        int colon = why.indexOf(':');
        refusals.merge(colon > 0 ? why.substring(0, colon) : why, 1, Integer::sum);
      }
    } catch (RuntimeException e) {
      fail("enrolment", e);
    }
  }

  /** Cancels the last policy paid from a personal account today: the premium goes back, before the effective date. */
  private void reverseOne(LocalDate today) {
    List<Policy> paidToday = active().stream()
        .filter(p -> p.requestedOn().filter(today::equals).isPresent() && p.receipt().isPresent()).toList();
    if (paidToday.isEmpty()) {
      progress("%s no reversal: no premium was paid from a personal account", today);
      return;
    }
    Optional<Policy> victim = paidToday.stream()
        .filter(p -> EnrolmentRules.refundAllowed(CATALOG.get(p.productCode()), p.span().orElseThrow().start(), today))
        .reduce((first, second) -> second);
    if (victim.isEmpty()) {
      progress("%s no reversal: %s refunds no premium through the gateway", today,
          paidToday.stream().map(Policy::productCode).distinct().toList());
      return;
    }
    try {
      DeductionReceipt r = lead.cancel(victim.get().policyNumber());
      if (r.getState() == DeductionReceipt.State.STATE_REVERSED) {
        reversed++;
        progress("%s reversed one premium (%s yuan) before the policy took effect", today,
            CitySummary.yuan(victim.get().premiumFen()));
      } else {
        failures++;
        progress("FAILURE reversal answered %s %s", r.getState(), r.getRejectionReason());
      }
    } catch (RuntimeException e) {
      fail("reversal", e);
    }
  }

  /** Both sides send the day's premium-deduction report; both must agree. */
  private void reconcile(LocalDate today) {
    try {
      ReconciliationReport fromBureau = bureau.reconcile(today, lead.code());
      List<String> fromInsurer = lead.reconcile(today).stream().map(ReconciliationReport::getReportId).toList();
      List<String> expected = new ArrayList<>(fromInsurer);
      boolean arrived = DemoNetwork.await(WAIT, () ->
          lead.reconciliations().stream().anyMatch(o -> o.reportId().equals(fromBureau.getReportId()))
              && fromInsurer.stream().allMatch(id -> bureau.reconciliations().stream().anyMatch(o -> o.reportId().equals(id))));
      if (!arrived) {
        failures++;
        progress("FAILURE reconciliation reports of %s did not arrive within %ds", today, WAIT.toSeconds());
        return;
      }
      expected.add(fromBureau.getReportId());
      List<PremiumReconciliation.Outcome> outcomes = new ArrayList<>(lead.reconciliations());
      outcomes.addAll(bureau.reconciliations());
      long mismatched = outcomes.stream().filter(o -> expected.contains(o.reportId())).filter(o -> !o.matches()).count();
      if (mismatched > 0) {
        failures += (int) mismatched;
        progress("FAILURE reconciliation of %s: %d report(s) do not match", today, mismatched);
      }
    } catch (RuntimeException e) {
      fail("reconciliation", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The bureau must know every policy (and the cancellation) before the policy year's care. */
  private void awaitRegistrations() throws InterruptedException {
    List<Policy> all = lead.policies();
    boolean ok = DemoNetwork.await(WAIT, () -> all.stream().allMatch(p -> switch (p.state()) {
      case ENROLLED -> bureau.policies().inForce(p.certNumber(), city.careDay()).isPresent();
      case CANCELLED -> bureau.policies().inForce(p.certNumber(), city.careDay()).isEmpty();
      default -> true;
    }));
    if (!ok) {
      failures++;
      progress("FAILURE the bureau's policy register is incomplete after %ds", WAIT.toSeconds());
    }
  }

  // ---- policy year ----

  private void care() throws InterruptedException {
    List<Policy> active = active();
    int planned = (active.size() + STAY_EVERY - 1) / STAY_EVERY;
    progress("policy year: %d hospital stays from %s, settled %s", planned, city.careDay(),
        city.oneStopSettlement() ? "one-stop at discharge" : "offline (claims after discharge)");
    Random random = new Random(seed * 31 + Long.parseLong(city.admdvs()));
    Map<String, Optional<Long>> pending = new LinkedHashMap<>();
    int step = Math.max(1, planned / 4);
    for (int i = 0; i < active.size(); i += STAY_EVERY) {
      Policy policy = active.get(i);
      LocalDate today = city.careDay().plusDays(stays % 14);
      day.set(today);
      stays++;
      try {
        Resident patient = bureau.population().find(policy.certNumber()).orElseThrow();
        CoverageDecision admission = hospital.admit(patient, policy.productCode());
        if (!admission.getCovered()) {
          failures++;
          progress("FAILURE admission check: not covered (%s)", admission.getNotCoveredReason());
        }
        long inScope = 1_000_000 + random.nextInt(7_000_001);
        DischargeSettlement s = hospital.discharge(patient, hospital.bill(3 + random.nextInt(12), inScope, inScope / 10,
            random.nextInt(2_000_001)));
        if (s.productCode().isEmpty()) {
          failures++;
          progress("FAILURE discharge: the bureau found no policy in force");
        } else {
          pending.put("C-" + s.settlementId(), s.quote().map(q -> q.getPayoutFen()));
        }
        if (s.oneStop()) {
          oneStop++;
        } else if (city.oneStopSettlement()) {
          failures++;
          progress("FAILURE one-stop settlement fell back to offline");
        }
      } catch (RuntimeException e) {
        fail("hospital stay", e);
      }
      if (stays % step == 0 || stays == planned) {
        progress("%s hospital stays %d/%d (one-stop %d)", today, stays, planned, oneStop);
      }
    }
    boolean decided = DemoNetwork.await(WAIT, () -> pending.keySet().stream().allMatch(bureau.claimResults()::containsKey));
    Map<String, ClaimResult> results = bureau.claimResults();
    for (Map.Entry<String, Optional<Long>> e : pending.entrySet()) {
      ClaimResult r = results.get(e.getKey());
      if (r == null) {
        continue;
      }
      claims++;
      payoutFen += r.getPayoutFen();
      if (e.getValue().isPresent() && e.getValue().get() != r.getPayoutFen()) {
        failures++;
        progress("FAILURE a claim result differs from its one-stop quote");
      }
    }
    if (!decided) {
      failures += pending.size() - claims;
      progress("FAILURE %d claim result(s) did not reach the bureau within %ds", pending.size() - claims, WAIT.toSeconds());
    }
    progress("claims decided %d, payouts %s yuan", claims, CitySummary.yuan(payoutFen));
  }

  private List<Policy> active() {
    return lead.policies().stream().filter(p -> p.state() == Policy.State.ENROLLED).toList();
  }

  private void fail(String step, RuntimeException e) {
    failures++;
    String why = e instanceof GatewayException g
        ? g.reason().map(Enum::name).orElse(g.status().getCode().name())
        : e.getClass().getSimpleName();
    progress("FAILURE %s: %s", step, why);
  }

  private void progress(String format, Object... args) {
    synchronized (out) {
      out.printf("[%s] %s%n", city.name(), String.format(format, args));
      out.flush();
    }
  }
}
