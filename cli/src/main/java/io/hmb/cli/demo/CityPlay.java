package io.hmb.cli.demo;

import io.hmb.adapters.engine.ClaimType;
import io.hmb.adapters.engine.Product;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.Relation;
import io.hmb.adapters.enrolment.EnrolmentRules;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.client.GatewayException;
import io.hmb.conformance.sim.Application;
import io.hmb.conformance.sim.BillSettlement;
import io.hmb.conformance.sim.BureauSimulator;
import io.hmb.conformance.sim.BusinessDay;
import io.hmb.conformance.sim.CityProfile;
import io.hmb.conformance.sim.CoinsurerSimulator;
import io.hmb.conformance.sim.DischargeSettler;
import io.hmb.conformance.sim.EnrolmentOutcome;
import io.hmb.conformance.sim.GatewayConnection;
import io.hmb.conformance.sim.HospitalSimulator;
import io.hmb.conformance.sim.InsurerSimulator;
import io.hmb.conformance.sim.ListedDrug;
import io.hmb.conformance.sim.Policy;
import io.hmb.conformance.sim.Population;
import io.hmb.conformance.sim.PremiumReconciliation;
import io.hmb.conformance.sim.Resident;
import io.hmb.conformance.sim.Resident.HouseholdRole;
import io.hmb.conformance.sim.SpecialDrugs;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One city's policy year through the gateway: the city's bureau, lead insurer, co-insurer and a
 * hospital (reference simulators, in this process, on their own mTLS ports) enrol the population over
 * a few sales days with a daily reconciliation, reverse one premium before the effective date, then
 * admit and discharge patients during the policy year (one-stop where the city settles one-stop,
 * offline claims otherwise) and have special-drug patients buy their drug every month (claims after
 * basic settlement, in every city whose products cover special drugs). Anything that should not happen
 * is counted as a failure and printed without personal data.
 */
final class CityPlay {
  static final int SALES_DAYS = 3;
  /** Monthly purchases per special-drug patient: the first stays under the yearly deductible, later ones pay. */
  static final int PURCHASES_PER_PATIENT = 3;
  static final int DAYS_BETWEEN_PURCHASES = 30;
  /** The outcomes a special-drug claim may have: the simulated patients meet every condition of the liability. */
  private static final Set<ClaimResult.DenialReason> EXPECTED_DRUG_DENIALS = Set.of(
      ClaimResult.DenialReason.DENIAL_REASON_UNSPECIFIED, ClaimResult.DenialReason.DENIAL_REASON_UNDER_DEDUCTIBLE);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ProductCatalog CATALOG = ProductCatalog.shipped();

  private final CityProfile city;
  private final int households;
  private final long seed;
  private final CareRates rates;
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
  private int drugPurchases;
  private int claims;
  private long payoutFen;
  private int failures;
  private final Map<String, Integer> refusals = new TreeMap<>();

  private CityPlay(CityProfile city, int households, long seed, CareRates rates, PrintWriter out, BusinessDay day,
      BureauSimulator bureau, InsurerSimulator lead, HospitalSimulator hospital) {
    this.city = city;
    this.households = households;
    this.seed = seed;
    this.rates = rates;
    this.out = out;
    this.day = day;
    this.bureau = bureau;
    this.lead = lead;
    this.hospital = hospital;
  }

  /** Connects the city's simulators to the gateway and registers their endpoints. */
  static CityPlay start(DemoNetwork net, CityProfile city, int households, long seed, CareRates rates, PrintWriter out)
      throws Exception {
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
    net.serveRegistered(bureauLine.code(), bureau.endpoint());
    net.serveRegistered(leadLine.code(), lead.endpoint());
    net.serveRegistered(coLine.code(), coinsurer.endpoint());
    net.serveRegistered(hospitalLine.code(), hospital.endpoint());
    return new CityPlay(city, households, seed, rates, out, day, bureau, lead, hospital);
  }

  /** Plays the year and returns the city's figures (messages are counted by the caller, from the gateway). */
  CitySummary play() throws InterruptedException {
    enrolment();
    awaitRegistrations();
    Random random = new Random(seed * 31 + Long.parseLong(city.admdvs()));
    hospitalStays(random);
    specialDrugs(random);
    List<Policy> active = active();
    return new CitySummary(city.name(), city.admdvs(), active.size(), refused, reversed,
        active.stream().mapToLong(Policy::premiumFen).sum(), stays, oneStop, drugPurchases, claims, payoutFen, failures);
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

  private void hospitalStays(Random random) throws InterruptedException {
    List<Policy> active = active();
    int planned = (active.size() + rates.stayEvery() - 1) / rates.stayEvery();
    progress("policy year: %d hospital stays from %s, settled %s", planned, city.careDay(),
        city.oneStopSettlement() ? "one-stop at discharge" : "offline (claims after discharge)");
    Map<String, Optional<Long>> pending = new LinkedHashMap<>();
    int step = Math.max(1, planned / 4);
    for (int i = 0; i < active.size(); i += rates.stayEvery()) {
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
        BillSettlement s = hospital.discharge(patient, hospital.bill(3 + random.nextInt(12), inScope, inScope / 10,
            random.nextInt(2_000_001)));
        if (s.productCode().isEmpty()) {
          failures++;
          progress("FAILURE discharge: the bureau found no policy in force");
        } else {
          pending.put(InsurerSimulator.claimNumber(s.settlementId()), s.quote().map(q -> q.getPayoutFen()));
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
    List<ClaimResult> results = awaitClaimResults(pending.keySet());
    for (ClaimResult r : results) {
      Optional<Long> quoted = pending.get(r.getClaimNumber());
      if (quoted.isPresent() && quoted.get() != r.getPayoutFen()) {
        failures++;
        progress("FAILURE a claim result differs from its one-stop quote");
      }
    }
    progress("hospital-stay claims decided %d, payouts %s yuan", results.size(), CitySummary.yuan(paid(results)));
  }

  /**
   * Special-drug patients among the holders of a product that covers special drugs, at least one per drug
   * claim type the products cover: each has the condition a listed drug is for and buys it every month
   * with a qualified prescription; the bureau settles each purchase and the insurer decides the claim
   * from the settlement data (never one-stop: 000 理赔申请方式 特药报销 经医保结算后申请).
   */
  private void specialDrugs(Random random) throws InterruptedException {
    Map<String, List<ListedDrug>> drugsOf = city.products().stream()
        .collect(Collectors.toMap(code -> code, code -> SpecialDrugs.coveredBy(CATALOG.get(code))));
    if (drugsOf.values().stream().allMatch(List::isEmpty)) {
      progress("special drugs: none; %s cover no special drugs", String.join(" and ", city.products()));
      return;
    }
    List<Policy> active = active();
    List<Policy> holders = active.stream().filter(p -> !drugsOf.get(p.productCode()).isEmpty()).toList();
    if (holders.isEmpty()) {
      progress("special drugs: none; nobody holds a product that covers them");
      return;
    }
    List<ClaimType> kinds = holders.stream().map(Policy::productCode).distinct().flatMap(code -> drugsOf.get(code).stream())
        .map(ListedDrug::careType).distinct().sorted().toList();
    int wanted = (active.size() + rates.drugPatientEvery() - 1) / rates.drugPatientEvery();
    int patients = Math.min(holders.size(), Math.max(kinds.size(), wanted));
    progress("special drugs: %d patient(s) from %s, %d purchases %d days apart each (%s); claims after basic settlement",
        patients, city.careDay(), PURCHASES_PER_PATIENT, DAYS_BETWEEN_PURCHASES,
        String.join(", ", kinds.stream().map(k -> k.name().toLowerCase().replace('_', ' ')).toList()));
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < patients; i++) {
      Policy policy = holders.get(i * holders.size() / patients);
      Product product = CATALOG.get(policy.productCode());
      ClaimType kind = kinds.get(i % kinds.size());
      List<ListedDrug> covered = drugsOf.get(policy.productCode());
      List<ListedDrug> drugs = covered.stream().filter(d -> d.careType() == kind).toList();
      ListedDrug drug = drugs.isEmpty() ? covered.get(0) : drugs.get(random.nextInt(drugs.size()));
      Resident patient = bureau.population().find(policy.certNumber()).orElseThrow();
      for (int m = 0; m < PURCHASES_PER_PATIENT; m++) {
        LocalDate today = city.careDay().plusDays(i % 14 + (long) m * DAYS_BETWEEN_PURCHASES);
        day.set(today);
        drugPurchases++;
        try {
          BillSettlement s = bureau.settle(patient, SpecialDrugs.purchase(product, drug, today));
          if (s.productCode().isEmpty()) {
            failures++;
            progress("FAILURE special-drug purchase: the bureau found no policy in force");
          } else {
            pending.add(InsurerSimulator.claimNumber(s.settlementId()));
          }
        } catch (RuntimeException e) {
          fail("special-drug purchase", e);
        }
      }
    }
    List<ClaimResult> results = awaitClaimResults(pending);
    for (ClaimResult r : results) {
      if (r.getOutcome() == ClaimResult.Outcome.OUTCOME_ERROR || !EXPECTED_DRUG_DENIALS.contains(r.getDenialReason())) {
        failures++;
        progress("FAILURE a special-drug claim came back %s %s", r.getOutcome(), r.getDenialReason());
      }
    }
    progress("special-drug purchases %d, claims decided %d, payouts %s yuan", drugPurchases, results.size(),
        CitySummary.yuan(paid(results)));
  }

  /**
   * Waits for the bureau to hear the result of each claim and adds the results to the city's claims and
   * payouts; a result that does not arrive is a failure. Returns the results that arrived.
   */
  private List<ClaimResult> awaitClaimResults(Collection<String> claimNumbers) throws InterruptedException {
    boolean decided = DemoNetwork.await(WAIT, () -> claimNumbers.stream().allMatch(bureau.claimResults()::containsKey));
    Map<String, ClaimResult> known = bureau.claimResults();
    List<ClaimResult> results = claimNumbers.stream().filter(known::containsKey).map(known::get).toList();
    claims += results.size();
    payoutFen += paid(results);
    if (!decided) {
      failures += claimNumbers.size() - results.size();
      progress("FAILURE %d claim result(s) did not reach the bureau within %ds", claimNumbers.size() - results.size(),
          WAIT.toSeconds());
    }
    return results;
  }

  private static long paid(List<ClaimResult> results) {
    return results.stream().mapToLong(ClaimResult::getPayoutFen).sum();
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
