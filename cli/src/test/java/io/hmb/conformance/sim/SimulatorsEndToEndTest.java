package io.hmb.conformance.sim;

import io.hmb.cli.demo.DemoNetwork;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.hmb.adapters.engine.Accumulators;
import io.hmb.adapters.engine.Adjudication;
import io.hmb.adapters.engine.Assistance;
import io.hmb.adapters.engine.BenefitEngine;
import io.hmb.adapters.engine.Insured;
import io.hmb.adapters.engine.PolicyPeriod;
import io.hmb.adapters.engine.PolicyYearLedger;
import io.hmb.adapters.engine.Product;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.ProductTerms;
import io.hmb.adapters.engine.Relation;
import io.hmb.adapters.enrolment.EnrolmentRules;
import io.hmb.adapters.mapping.SettlementClaims;
import io.hmb.api.v1.CareType;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.CoinsurerShare;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionReceipt.RejectionReason;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.FamilyRelation;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.conformance.sim.Resident.HouseholdRole;
import io.hmb.testing.Await;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference bureau, lead insurer and hospital talking through a real gateway (TLS, PostgreSQL,
 * authorisation, exactly-once, push delivery), hospital stays and special-drug purchases alike:
 * Dalian and Liaocheng healthy, Wuwei's lead insurer with
 * {@link Flaw#WRONG_PAYOUT}; the other flaws are shown by calling endpoints directly.
 */
class SimulatorsEndToEndTest {
  static final String DALIAN = CityProfile.DALIAN;
  static final String LIAOCHENG = CityProfile.LIAOCHENG;
  static final String WUWEI = CityProfile.WUWEI;
  static final ProductCatalog CATALOG = ProductCatalog.shipped();

  @TempDir static Path dataDir;
  static DemoNetwork net;
  static final BusinessDay dalianDay = new BusinessDay(CityProfile.of(DALIAN).enrolmentDay());
  static final BusinessDay liaochengDay = new BusinessDay(CityProfile.of(LIAOCHENG).enrolmentDay());
  static final BusinessDay wuweiDay = new BusinessDay(CityProfile.of(WUWEI).enrolmentDay());
  static BureauSimulator dalianBureau;
  static InsurerSimulator dalianLead;
  static HospitalSimulator dalianHospital;
  static BureauSimulator liaochengBureau;
  static InsurerSimulator liaochengLead;
  static HospitalSimulator liaochengHospital;
  static BureauSimulator wuweiBureau;
  static InsurerSimulator wuweiLead;

  @BeforeAll
  static void start() throws Exception {
    net = DemoNetwork.start(dataDir);
    dalianBureau = BureauSimulator.builder(net.connect("BUREAU-" + DALIAN), Population.generate(DALIAN, 40, 1))
        .businessDay(dalianDay).build();
    dalianLead = InsurerSimulator.builder(net.connect("INSURER-LEAD-" + DALIAN), DALIAN).businessDay(dalianDay).build();
    dalianHospital = HospitalSimulator.create(net.connect("HOSPITAL-" + DALIAN + "-01"), DALIAN, dalianDay,
        DischargeSettler.through(dalianBureau));
    net.serveRegistered(dalianBureau.code(), dalianBureau.endpoint());
    net.serveRegistered(dalianLead.code(), dalianLead.endpoint());
    net.serveRegistered(dalianHospital.code(), dalianHospital.endpoint());

    liaochengBureau = BureauSimulator.builder(net.connect("BUREAU-" + LIAOCHENG), Population.generate(LIAOCHENG, 40, 1))
        .businessDay(liaochengDay).build();
    liaochengLead = InsurerSimulator.builder(net.connect("INSURER-LEAD-" + LIAOCHENG), LIAOCHENG)
        .businessDay(liaochengDay).build();
    liaochengHospital = HospitalSimulator.create(net.connect("HOSPITAL-" + LIAOCHENG + "-01"), LIAOCHENG, liaochengDay,
        DischargeSettler.through(liaochengBureau));
    net.serveRegistered(liaochengBureau.code(), liaochengBureau.endpoint());
    net.serveRegistered(liaochengLead.code(), liaochengLead.endpoint());
    net.serveRegistered(liaochengHospital.code(), liaochengHospital.endpoint());

    wuweiBureau = BureauSimulator.builder(net.connect("BUREAU-" + WUWEI), Population.generate(WUWEI, 40, 1))
        .businessDay(wuweiDay).build();
    wuweiLead = InsurerSimulator.builder(net.connect("INSURER-LEAD-" + WUWEI), WUWEI).businessDay(wuweiDay)
        .flaw(Flaw.WRONG_PAYOUT).build();
    net.serveRegistered(wuweiBureau.code(), wuweiBureau.endpoint());
    net.serveRegistered(wuweiLead.code(), wuweiLead.endpoint());
  }

  @AfterAll
  static void stop() throws Exception {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void enrolmentDeductsThePremiumOnceAndARetryOfTheKeyGetsTheSameReceipt() throws Exception {
    dalianDay.set(LocalDate.of(2025, 10, 20));
    Resident worker = dalianBureau.population().member(0, HouseholdRole.WORKER);
    long before = dalianBureau.accounts().balanceFen(worker.certNumber());
    long premium = EnrolmentRules.premiumFen(CATALOG.get("dalian-2025-upgrade"), worker.birthDate(), dalianDay.today());

    EnrolmentOutcome outcome = dalianLead.enrol(Application.selfPaid(worker, "dalian-2025-upgrade"));

    assertThat(outcome.enrolled()).as(outcome.refusal().orElse("")).isTrue();
    DeductionReceipt receipt = outcome.receipt().orElseThrow();
    assertThat(receipt.getState()).isEqualTo(DeductionReceipt.State.STATE_POSTED);
    assertThat(receipt.getAmountFen()).isEqualTo(premium).isEqualTo(outcome.premiumFen());
    assertThat(receipt.getBalanceAfterFen()).isEqualTo(before - premium);
    String key = dalianLead.policy(outcome.policyNumber()).orElseThrow().deductionKey();

    DeductionReceipt retried = dalianLead.resendDeduction(outcome.policyNumber());

    assertThat(retried.getDeductionId()).isEqualTo(receipt.getDeductionId());
    assertThat(retried.getState()).isEqualTo(DeductionReceipt.State.STATE_POSTED);
    assertThat(dalianBureau.postings(dalianLead.code(), key)).isEqualTo(1);
    assertThat(dalianBureau.accounts().balanceFen(worker.certNumber())).isEqualTo(before - premium);
    Await.until("the policy registration at the bureau",
        () -> dalianBureau.policies().inForce(worker.certNumber(), LocalDate.of(2026, 1, 1)).isPresent());

    EnrolmentOutcome again = dalianLead.enrol(Application.selfPaid(worker, "dalian-2025-basic"));
    assertThat(again.enrolled()).isFalse();
    assertThat(again.refusal().orElseThrow()).startsWith("ALREADY_ENROLLED");
  }

  @Test
  void liaochengWorkerPaysForAFamilyMemberAndTheBureauRefusesAFalseRelation() {
    liaochengDay.set(LocalDate.of(2023, 12, 20));
    Population people = liaochengBureau.population();
    Resident worker = people.member(1, HouseholdRole.WORKER);
    Resident child = people.member(1, HouseholdRole.CHILD);
    long before = liaochengBureau.accounts().balanceFen(worker.certNumber());

    EnrolmentOutcome outcome = liaochengLead.enrol(Application.paidBy(child, worker, Relation.CHILD, "liaocheng-2024"));

    assertThat(outcome.enrolled()).as(outcome.refusal().orElse("")).isTrue();
    assertThat(outcome.receipt().orElseThrow().getAmountFen()).isEqualTo(8_900);
    assertThat(liaochengBureau.accounts().balanceFen(worker.certNumber())).isEqualTo(before - 8_900);
    Deduction posted = liaochengBureau.deductions().stream()
        .filter(d -> d.deductionId().equals(outcome.receipt().get().getDeductionId())).findFirst().orElseThrow();
    assertThat(posted.payerCert()).isEqualTo(worker.certNumber());
    assertThat(posted.insuredCert()).isEqualTo(child.certNumber());

    // The parent is the worker's parent: a declared SPOUSE is refused by the bureau, nothing moves.
    Resident parent = people.member(1, HouseholdRole.PARENT);
    EnrolmentOutcome lie = liaochengLead.enrol(Application.paidBy(parent, worker, Relation.SPOUSE, "liaocheng-2024"));
    assertThat(lie.enrolled()).isFalse();
    assertThat(lie.receipt().orElseThrow().getRejectionReason()).isEqualTo(RejectionReason.REJECTION_REASON_NOT_DIRECT_FAMILY);
    assertThat(liaochengBureau.accounts().balanceFen(worker.certNumber())).isEqualTo(before - 8_900);

    // Too little in the account (every 10th household's worker has 20 yuan).
    Resident poor = people.member(9, HouseholdRole.WORKER);
    EnrolmentOutcome broke = liaochengLead.enrol(Application.selfPaid(poor, "liaocheng-2024"));
    assertThat(broke.receipt().orElseThrow().getRejectionReason())
        .isEqualTo(RejectionReason.REJECTION_REASON_INSUFFICIENT_BALANCE);
  }

  @Test
  void aDeductionIsReversedOnceAndOnlyBeforeThePolicyTakesEffect() throws Exception {
    dalianDay.set(LocalDate.of(2025, 10, 21));
    Resident worker = dalianBureau.population().member(1, HouseholdRole.WORKER);
    long before = dalianBureau.accounts().balanceFen(worker.certNumber());
    EnrolmentOutcome outcome = dalianLead.enrol(Application.selfPaid(worker, "dalian-2025-basic"));
    assertThat(outcome.enrolled()).isTrue();

    DeductionReceipt reversed = dalianLead.cancel(outcome.policyNumber());

    assertThat(reversed.getState()).isEqualTo(DeductionReceipt.State.STATE_REVERSED);
    assertThat(reversed.getDeductionId()).isEqualTo(outcome.receipt().orElseThrow().getDeductionId());
    assertThat(dalianBureau.accounts().balanceFen(worker.certNumber())).isEqualTo(before);
    assertThat(dalianLead.policy(outcome.policyNumber()).orElseThrow().state()).isEqualTo(Policy.State.CANCELLED);

    DeductionReceipt second = dalianLead.reverseDeduction(outcome.policyNumber(), "second-reversal-" + outcome.policyNumber());
    assertThat(second.getState()).isEqualTo(DeductionReceipt.State.STATE_REJECTED);
    assertThat(second.getRejectionReason()).isEqualTo(RejectionReason.REJECTION_REASON_ALREADY_REVERSED);
    assertThat(dalianBureau.accounts().balanceFen(worker.certNumber())).isEqualTo(before);

    Resident spouse = dalianBureau.population().member(2, HouseholdRole.SPOUSE);
    EnrolmentOutcome late = dalianLead.enrol(Application.selfPaid(spouse, "dalian-2025-basic"));
    assertThat(late.enrolled()).isTrue();
    dalianDay.set(LocalDate.of(2025, 11, 1));
    DeductionReceipt tooLate = dalianLead.cancel(late.policyNumber());
    assertThat(tooLate.getRejectionReason()).isEqualTo(RejectionReason.REJECTION_REASON_POLICY_IN_EFFECT);
    assertThat(dalianLead.policy(late.policyNumber()).orElseThrow().state()).isEqualTo(Policy.State.ENROLLED);
  }

  @Test
  void admissionCheckThenOneStopDischargePaysWhatTheBenefitEngineGives() throws Exception {
    dalianDay.set(LocalDate.of(2025, 10, 22));
    Resident worker = dalianBureau.population().member(3, HouseholdRole.WORKER);
    EnrolmentOutcome outcome = enrolAndAwaitPolicy(dalianLead, dalianBureau,
        Application.selfPaid(worker, "dalian-2025-upgrade"), LocalDate.of(2026, 3, 16));

    dalianDay.set(LocalDate.of(2026, 3, 16));
    CoverageDecision coverage = dalianHospital.admit(worker, "dalian-2025-basic");
    assertThat(coverage.getCovered()).isTrue();
    assertThat(coverage.getProductCode()).isEqualTo("dalian-2025-upgrade");
    assertThat(coverage.getPolicyNumber()).isEqualTo(outcome.policyNumber());
    assertThat(coverage.getLiabilityRoomList()).anySatisfy(r -> {
      assertThat(r.getLiability()).isEqualTo("hospital");
      assertThat(r.getDeductibleRemainingFen()).isEqualTo(1_200_000);
    });

    BillSettlement settled = dalianHospital.discharge(worker,
        dalianHospital.bill(9, 5_000_000, 1_000_000, 2_000_000));

    assertThat(settled.oneStop()).isTrue();
    SettlementData data = settled.settlement().orElseThrow();
    long expected = engineFirstClaim(CATALOG.get("dalian-2025-upgrade"), worker, data, LocalDate.of(2025, 11, 1));
    assertThat(expected).isPositive();
    assertThat(settled.quote().orElseThrow().getPayoutFen()).isEqualTo(expected);
    assertThat(settled.quote().get().getLiabilitiesList().stream().mapToLong(l -> l.getPayoutFen()).sum()).isEqualTo(expected);
    assertThat(settled.patientPaysFen()).isEqualTo(settled.personPartFen() - expected);

    String claim = "C-" + settled.settlementId();
    Await.until("the claim result at the bureau", () -> dalianBureau.claimResults().containsKey(claim));
    ClaimResult result = dalianBureau.claimResults().get(claim);
    assertThat(result.getOffline()).isFalse();
    assertThat(result.getPayoutFen()).isEqualTo(expected);
    assertThat(result.getSharesList().stream().mapToLong(CoinsurerShare::getAmountFen).sum()).isEqualTo(expected);
    Await.until("the claim result at the hospital", () -> dalianHospital.claimResults().containsKey(claim));

    CoverageDecision after = dalianHospital.admit(worker, "dalian-2025-upgrade");
    assertThat(after.getLiabilityRoomList()).anySatisfy(r -> {
      assertThat(r.getLiability()).isEqualTo("hospital");
      assertThat(r.getDeductibleRemainingFen()).isZero();
    });
    CoverageDecision stranger = dalianHospital.admit(dalianBureau.population().member(4, HouseholdRole.CHILD),
        "dalian-2025-upgrade");
    assertThat(stranger.getCovered()).isFalse();
    assertThat(stranger.getNotCoveredReason()).isEqualTo(CoverageDecision.NotCoveredReason.NOT_COVERED_REASON_NOT_ENROLLED);
  }

  @Test
  void anOfflineClaimProducesAClaimResultWhoseSharesAddUpToThePayout() throws Exception {
    liaochengDay.set(LocalDate.of(2023, 12, 21));
    Resident worker = liaochengBureau.population().member(2, HouseholdRole.WORKER);
    enrolAndAwaitPolicy(liaochengLead, liaochengBureau, Application.selfPaid(worker, "liaocheng-2024"),
        LocalDate.of(2024, 5, 15));

    Bill bill = Bill.inpatient("HOSPITAL-" + LIAOCHENG + "-02", LIAOCHENG, LocalDate.of(2024, 5, 3),
        LocalDate.of(2024, 5, 15), 8_000_123, 900_001, 3_100_007);
    BillSettlement settled = liaochengBureau.settle(worker, bill);

    assertThat(settled.oneStop()).isFalse();
    assertThat(settled.patientPaysFen()).isEqualTo(settled.personPartFen());
    String claim = "C-" + settled.settlementId();
    Await.until("the claim result at the bureau", () -> liaochengBureau.claimResults().containsKey(claim));
    ClaimResult result = liaochengBureau.claimResults().get(claim);
    long expected = engineFirstClaim(CATALOG.get("liaocheng-2024"), worker, settled.settlement().orElseThrow(),
        LocalDate.of(2024, 1, 1));
    assertThat(result.getOffline()).isTrue();
    assertThat(result.getPayoutFen()).isEqualTo(expected).isPositive();
    assertThat(result.getSharesList()).extracting(CoinsurerShare::getInsurer)
        .containsExactly("INSURER-LEAD-" + LIAOCHENG, "INSURER-CO-" + LIAOCHENG);
    assertThat(result.getSharesList().stream().mapToLong(CoinsurerShare::getAmountFen).sum()).isEqualTo(expected);
    assertThat(result.getLiabilitiesList().stream().mapToLong(l -> l.getPayoutFen()).sum()).isEqualTo(expected);
  }

  @Test
  void dalianSpecialDrugPurchasesAreClaimedOfflineAndPayWhatTheBenefitEngineGives() throws Exception {
    dalianDay.set(LocalDate.of(2025, 10, 23));
    Resident patient = dalianBureau.population().member(5, HouseholdRole.WORKER);
    Product product = CATALOG.get("dalian-2025-upgrade");
    enrolAndAwaitPolicy(dalianLead, dalianBureau, Application.selfPaid(patient, product.code()), LocalDate.of(2026, 4, 1));
    ListedDrug drug = drugNamed(product, "甲磺酸达拉非尼胶囊");

    List<ClaimResult> results = buyMonthly(dalianBureau, patient, product, drug, LocalDate.of(2026, 4, 1), 3);

    List<SettlementData> sent = settlementsOf(dalianBureau, results);
    assertThat(sent).allSatisfy(d -> {
      assertThat(d.getCareType()).isEqualTo(CareType.CARE_TYPE_SPECIAL_DRUG);
      assertThat(d.getClearingType()).isEqualTo("41");
      assertThat(d.getDrugCode()).isEqualTo(drug.name());
      assertThat(product.liability("special_drug").conditions().pharmacies().value()).contains(d.getPharmacyCode());
    });
    List<Long> expected = engineClaims(product, patient, LocalDate.of(2025, 11, 1), sent);
    assertThat(expected.get(0)).as("the first purchase stays under the 12,000-yuan deductible").isZero();
    assertThat(expected.get(2)).isPositive();
    assertThat(results).extracting(ClaimResult::getPayoutFen).containsExactlyElementsOf(expected);
    assertThat(results).allSatisfy(r -> {
      assertThat(r.getOffline()).as("special drugs are claimed after basic settlement, never one-stop").isTrue();
      assertThat(r.getSharesList().stream().mapToLong(CoinsurerShare::getAmountFen).sum()).isEqualTo(r.getPayoutFen());
    });
    assertThat(results.get(0).getDenialReason()).isEqualTo(ClaimResult.DenialReason.DENIAL_REASON_UNDER_DEDUCTIBLE);
    assertThat(results.get(2).getLiabilitiesList()).singleElement()
        .satisfies(l -> assertThat(l.getLiability()).isEqualTo("special_drug"));
  }

  @Test
  void liaochengHighCostAndSpecialEffectDrugsEachPayWhatTheBenefitEngineGives() throws Exception {
    liaochengDay.set(LocalDate.of(2023, 12, 23));
    Resident patient = liaochengBureau.population().member(6, HouseholdRole.WORKER);
    Product product = CATALOG.get("liaocheng-2024");
    enrolAndAwaitPolicy(liaochengLead, liaochengBureau, Application.selfPaid(patient, product.code()),
        LocalDate.of(2024, 6, 3));
    ListedDrug highCost = drugNamed(product, "帕博利珠单抗注射液");
    ListedDrug specialEffect = drugNamed(product, "贝伐珠单抗注射液");

    List<ClaimResult> results = new ArrayList<>(
        buyMonthly(liaochengBureau, patient, product, highCost, LocalDate.of(2024, 6, 3), 3));
    results.addAll(buyMonthly(liaochengBureau, patient, product, specialEffect, LocalDate.of(2024, 6, 5), 3));

    List<SettlementData> sent = settlementsOf(liaochengBureau, results);
    assertThat(sent).extracting(SettlementData::getCareType).containsExactly(CareType.CARE_TYPE_HIGH_COST_DRUG,
        CareType.CARE_TYPE_HIGH_COST_DRUG, CareType.CARE_TYPE_HIGH_COST_DRUG, CareType.CARE_TYPE_SPECIAL_EFFECT_DRUG,
        CareType.CARE_TYPE_SPECIAL_EFFECT_DRUG, CareType.CARE_TYPE_SPECIAL_EFFECT_DRUG);
    List<Long> expected = engineClaims(product, patient, LocalDate.of(2024, 1, 1), sent);
    assertThat(expected.get(2)).as("high-cost drug, third purchase").isPositive();
    assertThat(expected.get(5)).as("special-effect drug, third purchase: its own 10,000-yuan deductible").isPositive();
    assertThat(results).extracting(ClaimResult::getPayoutFen).containsExactlyElementsOf(expected);
    assertThat(results.get(2).getLiabilitiesList()).extracting(l -> l.getLiability()).containsExactly("high_cost_drug");
    assertThat(results.get(5).getLiabilitiesList()).extracting(l -> l.getLiability()).containsExactly("special_effect_drug");
    assertThat(results).allSatisfy(r -> assertThat(r.getSharesList().stream().mapToLong(CoinsurerShare::getAmountFen).sum())
        .isEqualTo(r.getPayoutFen()));
    // The special-effect drug was given at the hospital, which hears the result too.
    String atHospital = results.get(5).getClaimNumber();
    Await.until("the claim result at the hospital", () -> liaochengHospital.claimResults().containsKey(atHospital));
  }

  @Test
  void dailyReconciliationAgreesOnBothSides() throws Exception {
    LocalDate day = LocalDate.of(2023, 12, 22);
    liaochengDay.set(day);
    Resident spouse = liaochengBureau.population().member(4, HouseholdRole.SPOUSE);
    assertThat(liaochengLead.enrol(Application.selfPaid(spouse, "liaocheng-2024")).enrolled()).isTrue();

    ReconciliationReport fromBureau = liaochengBureau.reconcile(day, liaochengLead.code());
    List<ReconciliationReport> fromInsurer = liaochengLead.reconcile(day);

    assertThat(fromBureau.getTotals().getCount()).isEqualTo(1);
    assertThat(fromInsurer).hasSize(1);
    Await.until("the bureau's report at the insurer", () -> liaochengLead.reconciliations().stream()
        .anyMatch(o -> o.reportId().equals(fromBureau.getReportId())));
    Await.until("the insurer's report at the bureau", () -> liaochengBureau.reconciliations().stream()
        .anyMatch(o -> o.reportId().equals(fromInsurer.get(0).getReportId())));
    assertThat(liaochengLead.reconciliations()).filteredOn(o -> o.reportId().equals(fromBureau.getReportId()))
        .singleElement().satisfies(o -> assertThat(o.mismatches()).isEmpty());
    assertThat(liaochengBureau.reconciliations()).filteredOn(o -> o.reportId().equals(fromInsurer.get(0).getReportId()))
        .singleElement().satisfies(o -> assertThat(o.mismatches()).isEmpty());
  }

  @Test
  void doubleDeductionFlawPostsTheSameKeyTwiceWhereAHealthyBureauPostsOnce() throws Exception {
    String key = "direct-double-1";
    for (Flaw flaw : new Flaw[] {Flaw.NONE, Flaw.DOUBLE_DEDUCTION}) {
      BusinessDay day = new BusinessDay(LocalDate.of(2025, 10, 20));
      BureauSimulator bureau = BureauSimulator.builder(net.connect("BUREAU-" + DALIAN), Population.generate(DALIAN, 5, 9))
          .businessDay(day).flaw(flaw).build();
      EndpointServer server = net.serve(bureau.code(), bureau.endpoint());
      Resident worker = bureau.population().member(0, HouseholdRole.WORKER);
      long premium = EnrolmentRules.premiumFen(CATALOG.get("dalian-2025-basic"), worker.birthDate(), day.today());
      DeductionRequest request = DeductionRequest.newBuilder().setPayer(worker.toPerson()).setInsured(worker.toPerson())
          .setRelation(FamilyRelation.FAMILY_RELATION_SELF).setProductCode("dalian-2025-basic").setPolicyNumber("P-DIRECT")
          .setAmountFen(premium).build();
      try (DirectCaller insurer = DirectCaller.asGateway(net, net.participant("INSURER-LEAD-" + DALIAN),
          net.participant(bureau.code()), server.port())) {
        DeductionReceipt first = insurer.open(insurer.exchange(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, request, DALIAN,
            "dalian-2025-basic", key, false), DeductionReceipt.parser());
        DeductionReceipt second = insurer.open(insurer.exchange(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, request, DALIAN,
            "dalian-2025-basic", key, false), DeductionReceipt.parser());
        assertThat(first.getState()).isEqualTo(DeductionReceipt.State.STATE_POSTED);
        if (flaw == Flaw.NONE) {
          assertThat(second).isEqualTo(first);
          assertThat(bureau.postings("INSURER-LEAD-" + DALIAN, key)).isEqualTo(1);
          assertThat(bureau.accounts().balanceFen(worker.certNumber())).isEqualTo(worker.openingBalanceFen() - premium);
        } else {
          assertThat(second.getDeductionId()).isNotEqualTo(first.getDeductionId());
          assertThat(bureau.postings("INSURER-LEAD-" + DALIAN, key)).isEqualTo(2);
          assertThat(bureau.accounts().balanceFen(worker.certNumber())).isEqualTo(worker.openingBalanceFen() - 2 * premium);
        }
      }
    }
  }

  /**
   * Security II, finding 1: a Wuwei hospital called the Dalian lead insurer's endpoint directly with its own
   * certificate and got a CoverageDecision (a query the gateway refuses: another city), and a hospital delivered
   * settlement data straight to an insurer's handler. The simulators' endpoints now turn away every caller but
   * the gateway, before anything is opened.
   */
  @Test
  void aParticipantCallingAnEndpointDirectlyWithItsOwnCertificateIsTurnedAway() throws Exception {
    SimParticipant wuweiHospital = net.participant("HOSPITAL-" + WUWEI + "-01");
    SimParticipant lead = net.participant(dalianLead.code());
    EndpointServer server = net.serve(lead.code(), dalianLead.endpoint());
    CoverageQuery query = CoverageQuery.newBuilder().setPerson(dalianBureau.population().member(0, HouseholdRole.WORKER)
        .toPerson()).setMoment(CoverageQuery.Moment.MOMENT_ADMISSION).build();
    try (DirectCaller hospital = new DirectCaller(wuweiHospital, lead, server.port(), wuweiHospital.tls())) {
      assertThatThrownBy(() -> hospital.exchange(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, query, DALIAN,
          "dalian-2025-upgrade", null, false)).isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isIn(io.grpc.Status.Code.UNAVAILABLE,
                  io.grpc.Status.Code.PERMISSION_DENIED));
      assertThatThrownBy(() -> hospital.deliver(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA,
          SettlementData.newBuilder().setSettlementId("S-DIRECT").build(), DALIAN, "dalian-2025-upgrade", "setl-direct"))
          .isInstanceOf(StatusRuntimeException.class);
    }
    // The same question through the suite's gateway identity is answered: the refusal was the caller's identity.
    try (DirectCaller asGateway = DirectCaller.asGateway(net, wuweiHospital, lead, server.port())) {
      assertThat(asGateway.open(asGateway.exchange(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, query, DALIAN,
          "dalian-2025-upgrade", null, false), CoverageDecision.parser())).isNotNull();
    }
  }

  @Test
  void skipSignatureFlawAnswersAForgedQueryThatAHealthyInsurerRefuses() throws Exception {
    CoverageQuery query = CoverageQuery.newBuilder().setPerson(dalianBureau.population().member(0, HouseholdRole.WORKER)
        .toPerson()).setMoment(CoverageQuery.Moment.MOMENT_ADMISSION).build();
    for (Flaw flaw : new Flaw[] {Flaw.NONE, Flaw.SKIP_SIGNATURE_VERIFICATION}) {
      InsurerSimulator insurer = InsurerSimulator.builder(net.connect("INSURER-LEAD-" + DALIAN), DALIAN).flaw(flaw).build();
      EndpointServer server = net.serve(insurer.code(), insurer.endpoint());
      try (DirectCaller hospital = DirectCaller.asGateway(net, net.participant("HOSPITAL-" + DALIAN + "-01"),
          net.participant(insurer.code()), server.port())) {
        if (flaw == Flaw.NONE) {
          assertThatThrownBy(() -> hospital.exchange(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, query, DALIAN,
              "dalian-2025-upgrade", null, true)).isInstanceOf(StatusRuntimeException.class)
              .satisfies(e -> assertThat(io.hmb.api.Errors.reason(e)).contains(io.hmb.api.v1.ErrorReason.SIGNATURE_INVALID));
        } else {
          SealedEnvelope answer = hospital.exchange(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, query, DALIAN,
              "dalian-2025-upgrade", null, true);
          assertThat(hospital.open(answer, CoverageDecision.parser()).getCovered()).isTrue();
        }
      }
    }
  }

  @Test
  void wrongPayoutFlawReportsAPayoutTheBenefitEngineDoesNotGive() throws Exception {
    wuweiDay.set(LocalDate.of(2025, 6, 2));
    Resident worker = wuweiBureau.population().member(0, HouseholdRole.WORKER);
    EnrolmentOutcome outcome = enrolAndAwaitPolicy(wuweiLead, wuweiBureau, Application.cash(worker, "wuwei-2025-basic"),
        LocalDate.of(2025, 12, 1));
    assertThat(outcome.receipt()).isEmpty();

    Bill bill = Bill.inpatient("HOSPITAL-" + WUWEI + "-01", WUWEI, LocalDate.of(2025, 11, 20), LocalDate.of(2025, 12, 1),
        6_000_000, 1_500_000, 500_000);
    BillSettlement settled = wuweiBureau.settle(worker, bill);
    String claim = "C-" + settled.settlementId();
    Await.until("the claim result at the bureau", () -> wuweiBureau.claimResults().containsKey(claim));
    ClaimResult result = wuweiBureau.claimResults().get(claim);
    long engine = engineFirstClaim(CATALOG.get("wuwei-2025-basic"), worker, settled.settlement().orElseThrow(),
        LocalDate.of(2025, 6, 2));

    assertThat(engine).isPositive();
    assertThat(result.getPayoutFen()).isEqualTo(engine + Flaw.WRONG_PAYOUT_DELTA_FEN);
    assertThat(result.getLiabilitiesList().stream().mapToLong(l -> l.getPayoutFen()).sum()).isEqualTo(engine);
  }

  /** Enrols the applicant and waits until the bureau holds the policy as in force on {@code inForceOn}. */
  private static EnrolmentOutcome enrolAndAwaitPolicy(InsurerSimulator lead, BureauSimulator bureau,
      Application application, LocalDate inForceOn) throws InterruptedException {
    EnrolmentOutcome outcome = lead.enrol(application);
    assertThat(outcome.enrolled()).as(outcome.refusal().orElse("")).isTrue();
    Await.until("the policy registration at the bureau",
        () -> bureau.policies().inForce(application.insured().getCertNumber(), inForceOn).isPresent());
    return outcome;
  }

  static ListedDrug drugNamed(Product product, String name) {
    return SpecialDrugs.coveredBy(product).stream().filter(d -> d.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(product.code() + " does not pay for " + name));
  }

  /** Buys {@code drug} every 30 days from {@code first}, each purchase settled by the bureau; the claim results, in order. */
  static List<ClaimResult> buyMonthly(BureauSimulator bureau, Resident patient, Product product, ListedDrug drug,
      LocalDate first, int purchases) throws InterruptedException {
    List<String> claims = new ArrayList<>();
    for (int i = 0; i < purchases; i++) {
      BillSettlement settled = bureau.settle(patient, SpecialDrugs.purchase(product, drug, first.plusDays(30L * i)));
      assertThat(settled.productCode()).contains(product.code());
      assertThat(settled.oneStop()).isFalse();
      assertThat(settled.patientPaysFen()).isEqualTo(settled.personPartFen());
      claims.add("C-" + settled.settlementId());
    }
    Await.until("the claim results at the bureau", () -> bureau.claimResults().keySet().containsAll(claims));
    return claims.stream().map(c -> bureau.claimResults().get(c)).toList();
  }

  static List<SettlementData> settlementsOf(BureauSimulator bureau, List<ClaimResult> results) {
    return results.stream().map(r -> bureau.settlements().stream().filter(s -> s.settlementId().equals(r.getSettlementId()))
        .findFirst().orElseThrow().settlement().orElseThrow()).toList();
  }

  /**
   * What the benefit engine pays on each of a person's drug claims, in order, on a fresh policy-year ledger.
   * The facts are stated here, not taken from the simulators' review: a qualified prescription, as the
   * simulated patients have, and the drug on the product's list (the simulation dispenses listed drugs only).
   */
  static List<Long> engineClaims(Product product, Resident person, LocalDate policyStart, List<SettlementData> data) {
    PolicyPeriod.Span span = product.period().value().spanFor(policyStart, policyStart);
    Insured insured = new Insured(person.birthDate(), person.insuredCity(), person.scheme(), person.preexisting(),
        Assistance.NONE, policyStart, List.of());
    PolicyYearLedger ledger = new PolicyYearLedger(new BenefitEngine(), ProductTerms.of(product), insured, span);
    SettlementClaims.ReviewFacts prescribed = new SettlementClaims.ReviewFacts(true, null, null, null, null, null,
        new io.hmb.adapters.engine.Claim.Items(null, null, true, null, null));
    return data.stream().map(d -> ledger.submit(SettlementClaims.toClaim(d, prescribed)).payoutFen()).toList();
  }

  /** What the benefit engine pays on a person's first claim of the policy year. */
  static long engineFirstClaim(Product product, Resident person, SettlementData data, LocalDate policyStart) {
    PolicyPeriod.Span span = product.period().value().spanFor(policyStart, policyStart);
    Insured insured = new Insured(person.birthDate(), person.insuredCity(), person.scheme(), person.preexisting(),
        Assistance.NONE, policyStart, List.of());
    Adjudication a = new BenefitEngine().adjudicate(ProductTerms.of(product), insured, span,
        SettlementClaims.toClaim(data, ClaimReview.facts(data)), Accumulators.EMPTY);
    return a.payoutFen();
  }
}
