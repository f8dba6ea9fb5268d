package io.hmb.conformance.sim;

import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.PolicyRegistration;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.SettlementData;
import io.hmb.client.BureauClient;
import io.hmb.client.GatewayException;
import io.hmb.client.MessageContext;
import io.hmb.client.RecipientEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference bureau (医保局) of one city: its insured population and their personal accounts, the
 * enrolment checks and premium deductions insurers ask for, the policy register, basic settlement of
 * hospital stays (one-stop quotes from the lead insurer at discharge) and drug purchases, settlement
 * data, and daily reconciliation.
 *
 * <p>In-process use: {@code builder(connection, population)...build()}, serve {@link #endpoint()} with
 * an {@link EndpointServer} whose address the gateway knows, then drive {@link #settle} and
 * {@link #reconcile}. State lives in memory (a real bureau records it in its database in the same
 * transaction as the answer). Thread-safe.
 */
public final class BureauSimulator {
  private static final Logger log = LoggerFactory.getLogger(BureauSimulator.class);
  /** One-stop quotes are asked with a short deadline: the patient waits at the counter. */
  static final Duration QUOTE_DEADLINE = Duration.ofSeconds(5);

  private final GatewayConnection connection;
  private final CityProfile city;
  private final Population population;
  private final ProductCatalog catalog;
  private final BusinessDay day;
  private final Flaw flaw;
  private final String runTag;
  private final PersonalAccounts accounts;
  private final PolicyRegister register = new PolicyRegister();
  private final DeductionDesk deductions;
  private final InsuredStatusDesk statuses;
  private final BasicSettlement basic;
  private final BureauClient bureau;
  private final io.grpc.BindableService endpoint;
  private final AtomicInteger settlementSeq = new AtomicInteger();
  private final Object settlementLock = new Object();
  private final Map<String, ClaimResult> claimResults = new LinkedHashMap<>();
  private final List<BillSettlement> settlements = new ArrayList<>();
  private final List<PremiumReconciliation.Outcome> reconciliations = new ArrayList<>();

  private BureauSimulator(Builder b) {
    this.connection = b.connection;
    this.population = b.population;
    this.city = CityProfile.of(b.population.city());
    this.catalog = b.catalog;
    this.day = b.day != null ? b.day : new BusinessDay(city.enrolmentDay());
    this.flaw = b.flaw;
    this.runTag = b.runTag;
    this.accounts = new PersonalAccounts(population);
    this.deductions = new DeductionDesk(city.admdvs(), population, accounts, register, catalog, day, b.clock, flaw);
    this.statuses = new InsuredStatusDesk(city.admdvs(), population);
    this.basic = new BasicSettlement(city.admdvs(), catalog, b.priorYearIncomeFen);
    this.bureau = new BureauClient(connection.client());
    RecipientEndpoint healthy = RecipientEndpoint.builder(connection.client())
        .onInsuredStatusQuery((q, ctx) -> statuses.answer(q))
        .onDeductionRequest((r, ctx) -> logged(deductions.request(r, ctx.sender(), ctx.idempotencyKey()), ctx))
        .onDeductionReversal((r, ctx) -> logged(deductions.reverse(r, ctx.sender(), ctx.idempotencyKey()), ctx))
        .onPolicyRegistration((r, ctx) -> onPolicyRegistration(r, ctx))
        .onClaimResult((r, ctx) -> onClaimResult(r, ctx))
        .onReconciliationReport((r, ctx) -> onReconciliation(r, ctx))
        .build();
    this.endpoint = flaw == Flaw.ACCEPTS_ANY_CA_CERTIFICATE ? new AcceptsAnyCaCertificate(healthy) : healthy;
  }

  public static Builder builder(GatewayConnection connection, Population population) {
    return new Builder(connection, population);
  }

  /** The RecipientService to serve on the bureau's port. */
  public io.grpc.BindableService endpoint() {
    return endpoint;
  }

  /**
   * A discharge or a drug purchase: basic settlement (pool, then 大病); for a patient holding a policy on
   * the settlement day, a binding one-stop quote from the product's lead insurer where the city settles
   * stays one-stop (the patient pays only the remainder), then the settlement data to the lead insurer,
   * which decides the claim and publishes its result. A quote that fails falls back to offline
   * settlement: the patient pays the person part and the claim runs offline.
   */
  public BillSettlement settle(Resident patient, Bill bill) {
    synchronized (settlementLock) {
      int n = settlementSeq.incrementAndGet();
      String settlementId = String.format("S-%s-%s-%06d", city.admdvs(), runTag, n);
      BasicSettlement.Result r = basic.settle(patient, bill, settlementId, String.format("V-%s-%s-%06d", city.admdvs(), runTag, n));
      Optional<PolicyRegistration> policy = register.inForce(patient.certNumber(), bill.settlementDate());
      if (policy.isEmpty()) {
        return remember(new BillSettlement(settlementId, r.totalFen(), r.publicPaidFen(), r.personPartFen(),
            Optional.empty(), Optional.empty(), Optional.empty(), r.personPartFen()));
      }
      String product = policy.get().getProductCode();
      SettlementData data = basic.toSettlementData(r, patient, bill, product,
          ProtoDates.localDate(policy.get().getPeriodStartDate()));
      Optional<BenefitQuote> quote = Optional.empty();
      if (oneStop(patient, bill)) {
        quote = quote(product, settlementId, data);
      }
      bureau.submitSettlement(product, "settlement:" + settlementId, data);
      long pays = r.personPartFen() - quote.map(BenefitQuote::getPayoutFen).orElse(0L);
      log.info("bill settled settlementId={} careType={} product={} oneStop={} totalFen={} publicPaidFen={} patientPaysFen={}",
          settlementId, bill.careType(), product, quote.isPresent(), r.totalFen(), r.publicPaidFen(), pays);
      return remember(new BillSettlement(settlementId, r.totalFen(), r.publicPaidFen(), r.personPartFen(),
          Optional.of(product), Optional.of(data), quote, pays));
    }
  }

  /**
   * Sends {@code insurer} the day's premium-deduction report (every deduction it asked for that was
   * posted on {@code businessDay}, net of reversals) and returns it.
   */
  public ReconciliationReport reconcile(LocalDate businessDay, String insurer) {
    ReconciliationReport report = PremiumReconciliation.report(
        "recon-premium-" + city.admdvs() + "-" + runTag + "-" + businessDay + "-" + insurer, businessDay, insurer,
        lines(businessDay, insurer));
    bureau.submitReconciliation(insurer, report.getReportId(), report);
    log.info("reconciliation sent reportId={} to={} count={} amountFen={}", report.getReportId(), insurer,
        report.getTotals().getCount(), report.getTotals().getAmountFen());
    return report;
  }

  /** Stays only: special drugs are claimed after basic settlement (000 理赔申请方式: 特药报销 经医保结算后申请). */
  private boolean oneStop(Resident patient, Bill bill) {
    return bill.stay() && city.oneStopSettlement() && city.admdvs().equals(patient.insuredCity())
        && city.admdvs().equals(bill.treatmentAdmdvs());
  }

  private Optional<BenefitQuote> quote(String product, String settlementId, SettlementData data) {
    try {
      BenefitQuoteRequest request = BenefitQuoteRequest.newBuilder().setSettlement(data).setBinding(true).build();
      return Optional.of(bureau.withDeadline(QUOTE_DEADLINE).quoteBenefit(product, "quote:" + settlementId, request).payload());
    } catch (GatewayException e) {
      log.warn("one-stop quote failed settlementId={} reason={}; settling offline", settlementId, e.reason());
      return Optional.empty();
    }
  }

  private BillSettlement remember(BillSettlement d) {
    synchronized (settlements) {
      settlements.add(d);
    }
    return d;
  }

  private List<PremiumReconciliation.Line> lines(LocalDate businessDay, String insurer) {
    return deductions.deductions().stream()
        .filter(d -> d.sender().equals(insurer) && d.postedOn().equals(businessDay))
        .map(d -> new PremiumReconciliation.Line(d.deductionId(), d.amountFen(), d.isReversed())).toList();
  }

  private io.hmb.api.v1.DeductionReceipt logged(io.hmb.api.v1.DeductionReceipt receipt, MessageContext ctx) {
    log.info("deduction answered sender={} messageId={} deductionId={} state={} reason={}", ctx.sender(), ctx.messageId(),
        receipt.getDeductionId(), receipt.getState(), receipt.getRejectionReason());
    return receipt;
  }

  private void onPolicyRegistration(PolicyRegistration r, MessageContext ctx) {
    register.record(r);
    log.info("policy registration sender={} product={} action={}", ctx.sender(), r.getProductCode(), r.getAction());
  }

  private void onClaimResult(ClaimResult r, MessageContext ctx) {
    synchronized (claimResults) {
      ClaimResult earlier = claimResults.get(r.getClaimNumber());
      if (earlier == null || earlier.getVersion() <= r.getVersion()) {
        claimResults.put(r.getClaimNumber(), r);
      }
    }
    log.info("claim result sender={} claim={} version={} outcome={} payoutFen={}", ctx.sender(), r.getClaimNumber(),
        r.getVersion(), r.getOutcome(), r.getPayoutFen());
  }

  private void onReconciliation(ReconciliationReport r, MessageContext ctx) {
    PremiumReconciliation.Outcome outcome = PremiumReconciliation.compare(r, ctx.sender(),
        lines(ProtoDates.localDate(r.getBusinessDate()), ctx.sender()));
    synchronized (reconciliations) {
      reconciliations.add(outcome);
    }
    log.info("reconciliation received reportId={} from={} mismatches={}", r.getReportId(), ctx.sender(),
        outcome.mismatches().size());
  }

  public String code() {
    return connection.code();
  }

  public CityProfile city() {
    return city;
  }

  public Population population() {
    return population;
  }

  public BusinessDay businessDay() {
    return day;
  }

  public Flaw flaw() {
    return flaw;
  }

  public PersonalAccounts accounts() {
    return accounts;
  }

  public PolicyRegister policies() {
    return register;
  }

  /** Every deduction posted so far (reversed ones included), in posting order. */
  public List<Deduction> deductions() {
    return deductions.deductions();
  }

  /** How many times the request with this (insurer, key) moved money: at most 1 for a healthy bureau. */
  public int postings(String insurer, String idempotencyKey) {
    return deductions.postings(insurer, idempotencyKey);
  }

  /** Claim results received, the latest version of each claim, by claim number. */
  public Map<String, ClaimResult> claimResults() {
    synchronized (claimResults) {
      return Map.copyOf(claimResults);
    }
  }

  /** Every bill settled so far, stays and drug purchases, in settlement order. */
  public List<BillSettlement> settlements() {
    synchronized (settlements) {
      return List.copyOf(settlements);
    }
  }

  /** Reconciliation reports received and how they compared with the bureau's records. */
  public List<PremiumReconciliation.Outcome> reconciliations() {
    synchronized (reconciliations) {
      return List.copyOf(reconciliations);
    }
  }

  /** Builds a bureau; everything but the connection and the population has a default. */
  public static final class Builder {
    private final GatewayConnection connection;
    private final Population population;
    private ProductCatalog catalog = ProductCatalog.shipped();
    private BusinessDay day;
    private Flaw flaw = Flaw.NONE;
    private Clock clock = Clock.systemUTC();
    private long priorYearIncomeFen = BasicSettlement.DEFAULT_PRIOR_YEAR_INCOME_FEN;
    private String runTag = RunTag.next();

    private Builder(GatewayConnection connection, Population population) {
      this.connection = Objects.requireNonNull(connection, "connection");
      this.population = Objects.requireNonNull(population, "population");
    }

    /** The simulated day (default: the city's enrolment day). Share it with the other simulators. */
    public Builder businessDay(BusinessDay day) {
      this.day = Objects.requireNonNull(day, "day");
      return this;
    }

    public Builder flaw(Flaw flaw) {
      this.flaw = Objects.requireNonNull(flaw, "flaw");
      return this;
    }

    public Builder catalog(ProductCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** The clock for receipts' post times (real instants, not business days). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Dalian 大病 parameter: the prior year's per-capita disposable income, fen. */
    public Builder priorYearIncomeFen(long fen) {
      this.priorYearIncomeFen = fen;
      return this;
    }

    /** Tag in settlement ids and keys, unique per run so a rerun against the same gateway reuses no key. */
    public Builder runTag(String tag) {
      this.runTag = RunTag.check(tag);
      return this;
    }

    public BureauSimulator build() {
      return new BureauSimulator(this);
    }
  }
}
