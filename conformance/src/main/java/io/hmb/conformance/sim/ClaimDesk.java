package io.hmb.conformance.sim;

import static io.hmb.conformance.sim.InsurerSimulator.claimNumber;

import io.hmb.adapters.engine.Adjudication;
import io.hmb.adapters.engine.BenefitEngine;
import io.hmb.adapters.engine.Claim;
import io.hmb.adapters.engine.ClaimInputException;
import io.hmb.adapters.engine.CoinsuranceSplit;
import io.hmb.adapters.engine.DenialReason;
import io.hmb.adapters.engine.LiabilityResult;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.mapping.SettlementClaims;
import io.hmb.adapters.mapping.SettlementFieldException;
import io.hmb.api.v1.BenefitQuote;
import io.hmb.api.v1.BenefitQuoteRequest;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.SettlementData;
import io.hmb.client.DirectoryCache;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The lead insurer's claims: one-stop quotes at discharge and claims from settlement data (stays and drug
 * purchases alike), both decided by adapters' {@link BenefitEngine} on the person's policy-year ledger. A
 * binding quote is applied to the ledger at once and becomes the claim; the settlement data that follows
 * confirms it rather than deciding it twice. An estimate (non-binding) changes nothing. The
 * {@link Flaw#WRONG_PAYOUT} insurer adds {@link Flaw#WRONG_PAYOUT_DELTA_FEN} to every payout it reports.
 */
final class ClaimDesk {
  /** How long a binding quote's hold lasts without confirmation (not enforced by the simulator). */
  static final Duration HOLD = Duration.ofMinutes(30);

  private final PolicyBook book;
  private final ProductCatalog catalog;
  private final DirectoryCache directory;
  private final BusinessDay day;
  private final Clock clock;
  private final Flaw flaw;
  private final BenefitEngine engine = new BenefitEngine();

  ClaimDesk(PolicyBook book, ProductCatalog catalog, DirectoryCache directory, BusinessDay day, Clock clock, Flaw flaw) {
    this.book = book;
    this.catalog = catalog;
    this.directory = directory;
    this.day = day;
    this.clock = clock;
    this.flaw = flaw;
  }

  BenefitQuote quote(BenefitQuoteRequest request, String productCode) {
    SettlementData s = request.getSettlement();
    BenefitQuote.Builder q = BenefitQuote.newBuilder().setSettlementId(s.getSettlementId())
        .setClaimNumber(claimNumber(s.getSettlementId()));
    Optional<Policy> policy = policyFor(s, productCode);
    if (policy.isEmpty()) {
      return q.setPayoutFen(0).setPatientRemainderFen(s.getPersonPartFen()).setDenialReason("NOT_COVERED: no policy in force")
          .build();
    }
    Claim claim = SettlementClaims.toClaim(s, ClaimReview.facts(s));
    Adjudication a;
    if (request.getBinding()) {
      a = decide(policy.get(), s, true).adjudication();
      q.setHoldExpireTime(ProtoDates.timestamp(clock.instant().plus(HOLD)));
    } else {
      a = policy.get().withLedger(ledger -> engine.adjudicate(ledger.terms(), policy.get().insured().orElseThrow(),
          ledger.span(), claim, ledger.accumulators()));
    }
    long payout = reported(a.payoutFen());
    a.liabilities().forEach(l -> q.addLiabilities(l.toProto()));
    if (a.denial() != null && a.denial() != DenialReason.UNDER_DEDUCTIBLE) {
      q.setDenialReason(a.denial().name());
    }
    return q.setPayoutFen(payout).setPatientRemainderFen(Math.max(0, s.getPersonPartFen() - payout)).build();
  }

  /** Decides the claim a settlement is about (once per settlement id) and returns its result, version 1. */
  ClaimResult claimFor(SettlementData s, String productCode) {
    ClaimResult.Builder r = ClaimResult.newBuilder().setClaimNumber(claimNumber(s.getSettlementId())).setVersion(1)
        .setSettlementId(s.getSettlementId()).setProductCode(productCode).setDecideTime(ProtoDates.timestamp(clock.instant()));
    Optional<Policy> policy = policyFor(s, productCode);
    if (policy.isEmpty()) {
      return r.setOutcome(ClaimResult.Outcome.OUTCOME_DENIED).setDenialReason(ClaimResult.DenialReason.DENIAL_REASON_NOT_COVERED)
          .setDetail("no policy of " + productCode + " for this person").setOffline(true).build();
    }
    r.setPolicyNumber(policy.get().policyNumber());
    Policy.DecidedClaim decided;
    try {
      decided = decide(policy.get(), s, false);
    } catch (ClaimInputException | SettlementFieldException e) {
      return r.setOutcome(ClaimResult.Outcome.OUTCOME_ERROR).setDetail("settlement data refused: " + e.getMessage())
          .setOffline(true).build();
    }
    Adjudication a = decided.adjudication();
    long payout = reported(a.payoutFen());
    r.setOutcome(a.outcome()).setPayoutFen(payout).setClaimedFen(a.claimedFen()).setOffline(!decided.binding())
        .addAllShares(CoinsuranceSplit.split(payout, directory.product(productCode).getMembersList()));
    a.liabilities().stream().map(LiabilityResult::toProto).forEach(r::addLiabilities);
    if (a.denial() != null) {
      r.setDenialReason(a.denial().toProto()).setDetail(a.denial().name());
    } else if (a.outcome() == ClaimResult.Outcome.OUTCOME_PARTIAL) {
      r.setDenialReason(a.liabilities().stream().filter(LiabilityResult::capped).findFirst()
          .map(l -> ClaimResult.DenialReason.DENIAL_REASON_CAP_REACHED)
          .orElse(ClaimResult.DenialReason.DENIAL_REASON_NOT_COVERED));
    }
    return r.build();
  }

  private Policy.DecidedClaim decide(Policy p, SettlementData s, boolean binding) {
    synchronized (p) {
      Optional<Policy.DecidedClaim> earlier = p.claim(s.getSettlementId());
      if (earlier.isPresent()) {
        return earlier.get();
      }
      Claim claim = SettlementClaims.toClaim(s, ClaimReview.facts(s));
      Adjudication a = p.withLedger(ledger -> ledger.submit(claim));
      Policy.DecidedClaim c = new Policy.DecidedClaim(s.getSettlementId(), claimNumber(s.getSettlementId()), a, binding);
      p.decided(c);
      return c;
    }
  }

  /** The policy in force on the claim's day: the discharge day of a stay, the settlement day of a purchase. */
  private Optional<Policy> policyFor(SettlementData s, String productCode) {
    LocalDate on = s.hasDischargeDate() ? ProtoDates.localDate(s.getDischargeDate())
        : s.hasSettleTime() ? SettlementClaims.settleDay(s)
        : day.today();
    return book.find(s.getPerson().getCertNumber(), productCode::equals, productCode, on)
        .filter(p -> p.state() == Policy.State.ENROLLED);
  }

  private long reported(long payoutFen) {
    return flaw == Flaw.WRONG_PAYOUT ? payoutFen + Flaw.WRONG_PAYOUT_DELTA_FEN : payoutFen;
  }
}
