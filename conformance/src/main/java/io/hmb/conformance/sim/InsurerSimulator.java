package io.hmb.conformance.sim;

import io.grpc.BindableService;
import io.hmb.adapters.engine.BenefitEngine;
import io.hmb.adapters.engine.ClaimInputException;
import io.hmb.adapters.engine.Insured;
import io.hmb.adapters.engine.PolicyPeriod;
import io.hmb.adapters.engine.PolicyYearLedger;
import io.hmb.adapters.engine.Product;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.ProductTerms;
import io.hmb.adapters.engine.Scheme;
import io.hmb.adapters.enrolment.Applicant;
import io.hmb.adapters.enrolment.BasicStatus;
import io.hmb.adapters.enrolment.Decision;
import io.hmb.adapters.enrolment.EnrolmentRules;
import io.hmb.adapters.enrolment.Payer;
import io.hmb.adapters.mapping.SettlementFieldException;
import io.hmb.api.v1.AssistanceStatus;
import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.DeductionReversal;
import io.hmb.api.v1.InsuranceScheme;
import io.hmb.api.v1.InsuredStatus;
import io.hmb.api.v1.InsuredStatusQuery;
import io.hmb.api.v1.PolicyRegistration;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.SettlementData;
import io.hmb.client.InsurerClient;
import io.hmb.client.InvalidPayloadException;
import io.hmb.client.MessageContext;
import io.hmb.client.RecipientEndpoint;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference lead insurer (主承保) of a city's products: enrolment (status check with the bureau, the
 * premium from a personal account, registration with the bureau), coverage answers, one-stop quotes
 * and claims from settlement data decided by adapters' benefit engine, claim results with each
 * co-insurer's share, and daily reconciliation of deductions.
 *
 * <p>In-process use: {@code builder(connection).businessDay(day).build()}, serve {@link #endpoint()}
 * with an {@link EndpointServer} whose address the gateway knows, then {@link #enrol}, {@link #cancel},
 * {@link #reconcile}. Idempotency keys are chosen and stored with the policy record before the first
 * call. State lives in memory. Thread-safe.
 */
public final class InsurerSimulator {
  private static final Logger log = LoggerFactory.getLogger(InsurerSimulator.class);

  private final GatewayConnection connection;
  private final ProductCatalog catalog;
  private final EnrolmentRules rules;
  private final BusinessDay day;
  private final Flaw flaw;
  private final String runTag;
  private final InsurerClient insurer;
  private final PolicyBook book;
  private final ClaimDesk claims;
  private final CoverageDesk coverage;
  private final BindableService endpoint;
  private final Map<String, ClaimResult> published = new LinkedHashMap<>();
  private final List<PremiumReconciliation.Outcome> reconciliations = new ArrayList<>();

  private InsurerSimulator(Builder b) {
    this.connection = b.connection;
    this.catalog = b.catalog;
    this.rules = new EnrolmentRules(catalog);
    this.day = b.day;
    this.flaw = b.flaw;
    this.runTag = b.runTag;
    this.insurer = new InsurerClient(connection.client());
    this.book = new PolicyBook(b.city, runTag);
    this.claims = new ClaimDesk(book, catalog, connection.client().directory(), day, b.clock, flaw);
    this.coverage = new CoverageDesk(book, catalog, day);
    this.endpoint = flaw == Flaw.SKIP_SIGNATURE_VERIFICATION
        ? new UnverifiedCoverageService(connection.code(), connection.participant().signingKey(),
            connection.client().directory(), b.clock)
        : withIdentityFlaw(RecipientEndpoint.builder(connection.client())
            .onCoverageQuery(coverage::answer)
            .onBenefitQuoteRequest(this::onQuote)
            .onSettlementData(this::onSettlement)
            .onReconciliationReport(this::onReconciliation)
            .build());
  }

  /**
   * The number this insurer gives the claim about a settlement: one claim per settlement, so whoever settled
   * knows which claim result to wait for.
   */
  public static String claimNumber(String settlementId) {
    return "C-" + settlementId;
  }

  /** @param connection the lead insurer's connection; its code should be INSURER-LEAD-&lt;city&gt; */
  public static Builder builder(GatewayConnection connection, String city) {
    return new Builder(connection, city);
  }

  /** The RecipientService to serve on the insurer's port (the broken one for SKIP_SIGNATURE_VERIFICATION). */
  public BindableService endpoint() {
    return endpoint;
  }

  private BindableService withIdentityFlaw(RecipientEndpoint healthy) {
    return flaw == Flaw.ACCEPTS_ANY_CA_CERTIFICATE ? new AcceptsAnyCaCertificate(healthy) : healthy;
  }

  /**
   * Enrols a person: opens the policy record (and its keys), asks the bureau of the product's city for
   * the person's basic-insurance status (and whether the payer may pay), checks the product's rules,
   * has the premium deducted from the personal account when one pays, and registers the policy with
   * the bureau.
   */
  public EnrolmentOutcome enrol(Application a) {
    Product product = catalog.get(a.productCode());
    String bureau = bureauOf(product);
    LocalDate today = day.today();
    Policy p = book.open(a);
    InsuredStatusQuery.Builder q = InsuredStatusQuery.newBuilder().setPerson(a.insured()).setDate(ProtoDates.date(today));
    a.payer().ifPresent(q::setPayer);
    InsuredStatus status = insurer.checkInsuredStatus(bureau, q.build()).payload();
    if (a.payer().isPresent() && !status.getPayerMayPay()) {
      return refused(p, "the bureau says the payer may not pay (relation " + status.getRelationToPayer() + ")", Optional.empty());
    }
    LocalDate birth = ProtoDates.localDate(a.insured().getBirthDate());
    Applicant applicant = new Applicant(birth, status.getInsured() ? status.getInsuredAdmdvs() : null, scheme(status),
        basicStatus(status), null, book.productsHeld(p.certNumber()));
    Payer payer = a.payer().isPresent() ? Payer.personalAccount(a.relation(), product.cityAdmdvs()) : Payer.CASH;
    Decision decision = rules.check(product, applicant, payer, today);
    if (!decision.allowed()) {
      return refused(p, decision.reason() + ": " + decision.detail(), Optional.empty());
    }
    Optional<DeductionReceipt> receipt = Optional.empty();
    if (a.payer().isPresent()) {
      DeductionRequest request = DeductionRequest.newBuilder().setPayer(a.payer().get()).setInsured(a.insured())
          .setRelation(Relations.toProto(a.relation())).setProductCode(product.code()).setPolicyNumber(p.policyNumber())
          .setAmountFen(decision.premiumFen()).setPolicyStartDate(ProtoDates.date(decision.coverageStart())).build();
      p.deductionRequested(request, today);
      receipt = Optional.of(insurer.requestDeduction(bureau, p.deductionKey(), request).payload());
      p.receipt(receipt.get());
      if (receipt.get().getState() != DeductionReceipt.State.STATE_POSTED) {
        return refused(p, "deduction " + receipt.get().getRejectionReason(), receipt);
      }
    }
    PolicyPeriod.Span span = new PolicyPeriod.Span(decision.coverageStart(), decision.coverageEndExclusive());
    Insured insured = new Insured(birth, applicant.insuredCity(), applicant.scheme(), a.preexisting(),
        assistance(status.getAssistanceStatus()), decision.coverageStart(), List.of());
    p.enrolled(insured, span, new PolicyYearLedger(new BenefitEngine(), ProductTerms.of(product), insured, span),
        decision.premiumFen());
    insurer.registerPolicy(bureau, p.registrationKey(), registration(p, PolicyRegistration.Action.ACTION_ENROL));
    log.info("enrolled policy={} product={} premiumFen={} personalAccount={}", p.policyNumber(), product.code(),
        decision.premiumFen(), a.payer().isPresent());
    return new EnrolmentOutcome(p.policyNumber(), Policy.State.ENROLLED, decision.premiumFen(), receipt, Optional.empty());
  }

  /**
   * Sends the policy's deduction request again with the key stored for it, as after a timeout or a
   * crash; the bureau (or the gateway's stored answer) gives back the original receipt.
   */
  public DeductionReceipt resendDeduction(String policyNumber) {
    Policy p = policy(policyNumber).orElseThrow(() -> new IllegalArgumentException("no policy " + policyNumber));
    DeductionRequest request = p.deductionRequest()
        .orElseThrow(() -> new IllegalStateException("policy " + policyNumber + " asked for no deduction"));
    return insurer.requestDeduction(bureauOf(catalog.get(p.productCode())), p.deductionKey(), request).payload();
  }

  /**
   * Cancels an enrolled policy before it takes effect: reverses the premium with the key stored for it
   * and, when reversed, registers the cancellation with the bureau. Returns the bureau's receipt.
   */
  public DeductionReceipt cancel(String policyNumber) {
    Policy p = policy(policyNumber).orElseThrow(() -> new IllegalArgumentException("no policy " + policyNumber));
    DeductionReceipt receipt = reverseDeduction(policyNumber, p.reversalKey());
    if (receipt.getState() == DeductionReceipt.State.STATE_REVERSED && p.state() == Policy.State.ENROLLED) {
      p.cancelled();
      insurer.registerPolicy(bureauOf(catalog.get(p.productCode())), p.cancellationKey(),
          registration(p, PolicyRegistration.Action.ACTION_CANCEL));
      log.info("cancelled policy={}", policyNumber);
    }
    return receipt;
  }

  /** Asks the bureau to reverse the policy's deduction under {@code idempotencyKey} (a new key is a new attempt). */
  public DeductionReceipt reverseDeduction(String policyNumber, String idempotencyKey) {
    Policy p = policy(policyNumber).orElseThrow(() -> new IllegalArgumentException("no policy " + policyNumber));
    String deductionId = p.receipt().map(DeductionReceipt::getDeductionId)
        .orElseThrow(() -> new IllegalStateException("policy " + policyNumber + " has no posted deduction"));
    DeductionReversal reversal = DeductionReversal.newBuilder().setDeductionId(deductionId)
        .setReason("cancelled before the effective date").build();
    return insurer.reverseDeduction(bureauOf(catalog.get(p.productCode())), p.productCode(), idempotencyKey, reversal)
        .payload();
  }

  /**
   * Sends each bureau the insurer's premium-deduction report for {@code businessDay}: every deduction it
   * asked for that day and the bureau posted, net of reversals.
   */
  public List<ReconciliationReport> reconcile(LocalDate businessDay) {
    Map<String, List<PremiumReconciliation.Line>> byBureau = new LinkedHashMap<>();
    for (Policy p : book.all()) {
      if (p.requestedOn().filter(businessDay::equals).isPresent() && p.receipt().isPresent()
          && !p.receipt().get().getDeductionId().isEmpty()) {
        byBureau.computeIfAbsent(bureauOf(catalog.get(p.productCode())), k -> new ArrayList<>()).add(line(p));
      }
    }
    List<ReconciliationReport> sent = new ArrayList<>();
    byBureau.forEach((bureau, lines) -> {
      ReconciliationReport r = PremiumReconciliation.report(
          "recon-premium-" + connection.code() + "-" + runTag + "-" + businessDay, businessDay, bureau, lines);
      insurer.submitReconciliation(bureau, r.getReportId(), r);
      sent.add(r);
      log.info("reconciliation sent reportId={} to={} count={}", r.getReportId(), bureau, r.getTotals().getCount());
    });
    return sent;
  }

  private BenefitQuote onQuote(BenefitQuoteRequest request, MessageContext ctx) {
    try {
      BenefitQuote q = claims.quote(request, ctx.productCode());
      log.info("quote settlementId={} binding={} payoutFen={}", q.getSettlementId(), request.getBinding(), q.getPayoutFen());
      return q;
    } catch (ClaimInputException e) {
      throw new InvalidPayloadException(e.field(), e.reason().name());
    } catch (SettlementFieldException e) {
      throw new InvalidPayloadException(e.field(), e.reason().name());
    }
  }

  private void onSettlement(SettlementData s, MessageContext ctx) {
    ClaimResult result = claims.claimFor(s, ctx.productCode());
    publish(result, ctx.sender());
    if (s.getInstitutionCode().startsWith("HOSPITAL-")) {
      publish(result, s.getInstitutionCode());
    }
  }

  private void publish(ClaimResult result, String recipient) {
    insurer.publishClaimResult(recipient, claimResultKey(result, recipient), result);
    synchronized (published) {
      published.put(result.getClaimNumber(), result);
    }
    log.info("claim result claim={} to={} outcome={} payoutFen={} offline={}", result.getClaimNumber(), recipient,
        result.getOutcome(), result.getPayoutFen(), result.getOffline());
  }

  /**
   * One key per claim version and recipient, the same on every redelivery of the settlement. A name longer
   * than a key may be (64: long settlement ids, long participant codes) is replaced by its SHA-256, so it stays
   * one key per operation instead of failing the handler.
   */
  static String claimResultKey(ClaimResult result, String recipient) {
    String name = "claim:" + result.getClaimNumber() + ":v" + result.getVersion() + ":" + recipient;
    if (name.length() <= 64) {
      return name;
    }
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "claim:" + java.util.HexFormat.of().formatHex(digest, 0, 24);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  private void onReconciliation(ReconciliationReport r, MessageContext ctx) {
    LocalDate reportDay = ProtoDates.localDate(r.getBusinessDate());
    if (reportDay == null) {
      throw new InvalidPayloadException("business_date", "a reconciliation report names the business day it covers");
    }
    List<PremiumReconciliation.Line> mine = book.all().stream()
        .filter(p -> p.requestedOn().filter(reportDay::equals).isPresent())
        .filter(p -> p.receipt().filter(x -> !x.getDeductionId().isEmpty()).isPresent())
        .filter(p -> bureauOf(catalog.get(p.productCode())).equals(ctx.sender()))
        .map(InsurerSimulator::line).toList();
    PremiumReconciliation.Outcome outcome = PremiumReconciliation.compare(r, ctx.sender(), mine);
    synchronized (reconciliations) {
      reconciliations.add(outcome);
    }
    log.info("reconciliation received reportId={} from={} mismatches={}", r.getReportId(), ctx.sender(),
        outcome.mismatches().size());
  }

  private static PremiumReconciliation.Line line(Policy p) {
    return new PremiumReconciliation.Line(p.receipt().get().getDeductionId(), p.premiumFen(),
        p.state() == Policy.State.CANCELLED);
  }

  private EnrolmentOutcome refused(Policy p, String why, Optional<DeductionReceipt> receipt) {
    p.refuse(why);
    log.info("enrolment refused policy={} product={} why={}", p.policyNumber(), p.productCode(), why);
    return new EnrolmentOutcome(p.policyNumber(), Policy.State.REFUSED, 0, receipt, Optional.of(why));
  }

  private static PolicyRegistration registration(Policy p, PolicyRegistration.Action action) {
    PolicyPeriod.Span span = p.span().orElseThrow();
    return PolicyRegistration.newBuilder().setPolicyNumber(p.policyNumber()).setProductCode(p.productCode())
        .setInsured(p.application().insured()).setPeriodStartDate(ProtoDates.date(span.start()))
        .setPeriodEndDate(ProtoDates.date(span.endExclusive().minusDays(1))).setPreexistingCondition(p.application().preexisting())
        .setAction(action).setPremiumFen(p.premiumFen()).build();
  }

  private static String bureauOf(Product product) {
    return "BUREAU-" + product.cityAdmdvs();
  }

  private static Scheme scheme(InsuredStatus s) {
    return s.getScheme() == InsuranceScheme.INSURANCE_SCHEME_EMPLOYEE ? Scheme.EMPLOYEE
        : s.getScheme() == InsuranceScheme.INSURANCE_SCHEME_RESIDENT ? Scheme.RESIDENT : null;
  }

  private static BasicStatus basicStatus(InsuredStatus s) {
    return !s.getInsured() ? BasicStatus.NOT_INSURED : s.getInGoodStanding() ? BasicStatus.ACTIVE : BasicStatus.SUSPENDED;
  }

  private static io.hmb.adapters.engine.Assistance assistance(AssistanceStatus s) {
    return switch (s) {
      case ASSISTANCE_STATUS_DIBAO -> io.hmb.adapters.engine.Assistance.DIBAO;
      case ASSISTANCE_STATUS_TEKUN -> io.hmb.adapters.engine.Assistance.TEKUN;
      default -> io.hmb.adapters.engine.Assistance.NONE;
    };
  }

  public String code() {
    return connection.code();
  }

  public Flaw flaw() {
    return flaw;
  }

  public BusinessDay businessDay() {
    return day;
  }

  public Optional<Policy> policy(String policyNumber) {
    return book.get(policyNumber);
  }

  public List<Policy> policies() {
    return book.all();
  }

  /** Claim results published, the latest of each claim, by claim number. */
  public Map<String, ClaimResult> claimResults() {
    synchronized (published) {
      return Map.copyOf(published);
    }
  }

  /** Reconciliation reports received from bureaus and how they compared. */
  public List<PremiumReconciliation.Outcome> reconciliations() {
    synchronized (reconciliations) {
      return List.copyOf(reconciliations);
    }
  }

  /** Builds a lead insurer; everything but the connection and the city has a default. */
  public static final class Builder {
    private final GatewayConnection connection;
    private final String city;
    private ProductCatalog catalog = ProductCatalog.shipped();
    private BusinessDay day;
    private Flaw flaw = Flaw.NONE;
    private Clock clock = Clock.systemUTC();
    private String runTag = RunTag.next();

    private Builder(GatewayConnection connection, String city) {
      this.connection = Objects.requireNonNull(connection, "connection");
      this.city = CityProfile.of(city).admdvs();
      this.day = new BusinessDay(CityProfile.of(city).enrolmentDay());
    }

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

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Tag in policy numbers and keys, unique per run (see {@link RunTag}). */
    public Builder runTag(String tag) {
      this.runTag = RunTag.check(tag);
      return this;
    }

    public InsurerSimulator build() {
      return new InsurerSimulator(this);
    }
  }
}
