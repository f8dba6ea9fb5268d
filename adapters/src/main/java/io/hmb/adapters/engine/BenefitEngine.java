package io.hmb.adapters.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one engine every product file runs on. Pure: it reads the product terms, the person, the claim and
 * the accumulators before the claim, and returns an {@link Adjudication} whose {@code effect} is the
 * exact delta to add to the accumulators. It keeps no state and never edits its inputs.
 *
 * <p>Per claim: whole-claim rules (period, suspension, city, basic settlement, excluded causes), then for
 * each liability covering the claim type, in product-file order: its conditions, the covered buckets, the
 * counting rule, the deductible (shared groups drawn in file order), the ratio (flat, or bands on the
 * group's cumulative after-deductible amount; pre-existing, assistance or PKU overrides replace it but the
 * band position still advances), one half-up rounding, then the annual cap.
 */
public final class BenefitEngine {

  public Adjudication adjudicate(ProductTerms terms, Insured insured, PolicyPeriod.Span span, Claim claim,
      Accumulators before) {
    Product p = terms.product();
    List<String> trace = new ArrayList<>();
    ClaimRules rules = p.claimRules();

    if (!span.contains(claim.date())) {
      return denied(p, claim, DenialReason.OUTSIDE_POLICY_PERIOD,
          "claim day " + claim.date() + " is outside the policy period [" + span.start() + ", " + span.endExclusive() + ")",
          p.period().clause(), trace);
    }
    if (rules.suspendedWithBasicInsurance().value() && insured.suspendedOn(claim.date())) {
      return denied(p, claim, DenialReason.BASIC_INSURANCE_SUSPENDED,
          "basic insurance suspended on " + claim.date(), rules.suspendedWithBasicInsurance().clause(), trace);
    }
    boolean insuredHere = p.cityAdmdvs().equals(insured.insuredCity());
    if (rules.insuredMustBeInCity().value() && !insuredHere) {
      return denied(p, claim, DenialReason.NOT_INSURED_IN_CITY,
          "insured in " + insured.insuredCity() + ", product city " + p.cityAdmdvs(), rules.insuredMustBeInCity().clause(), trace);
    }
    if (rules.insuredElsewhereTreatedInCityOnly().value() && !insuredHere && !p.cityAdmdvs().equals(claim.hospitalCity())) {
      return denied(p, claim, DenialReason.OUT_OF_AREA_NOT_ELIGIBLE,
          "insured in " + insured.insuredCity() + " and treated in " + claim.hospitalCity() + "; people insured elsewhere are covered only in "
              + p.cityAdmdvs(), rules.insuredElsewhereTreatedInCityOnly().clause(), trace);
    }
    if (rules.requiresBasicSettlement().value() && !claim.settledByBasicInsurance()) {
      return denied(p, claim, DenialReason.NOT_SETTLED_BY_BASIC_INSURANCE, "not settled through basic insurance",
          rules.requiresBasicSettlement().clause(), trace);
    }
    if (claim.excludedCause() != null) {
      if (!rules.excludedCauses().value().contains(claim.excludedCause())) {
        throw new ClaimInputException(ClaimInputException.Reason.UNKNOWN_CODE, "excluded_cause",
            "\"" + claim.excludedCause() + "\" is not one of " + rules.excludedCauses().value());
      }
      return denied(p, claim, DenialReason.EXCLUDED_CAUSE, "excluded cause " + claim.excludedCause(),
          rules.excludedCauses().clause(), trace);
    }

    List<Liability> matching = p.liabilities().stream().filter(l -> l.covers(claim.type())).toList();
    if (matching.isEmpty()) {
      return denied(p, claim, DenialReason.NOT_COVERED, "the product has no liability for " + claim.type() + " claims",
          "product " + p.code() + " liabilities", trace);
    }

    boolean preexisting = rules.preexistingScope().value() == ClaimRules.PreexistingScope.CLAIM
        && claim.preexistingRelated() != null ? claim.preexistingRelated() : insured.preexisting();
    Map<String, Long> dDeductible = new HashMap<>();
    Map<String, Long> dBand = new HashMap<>();
    Map<String, Long> dPaid = new HashMap<>();
    List<LiabilityResult> results = new ArrayList<>();
    for (Liability l : matching) {
      long covered = 0;
      for (Bucket b : l.buckets().value()) covered += claim.costs().bucket(b);
      DenialReason condition = firstFailedCondition(l.conditions(), insured, claim, p);
      if (condition != null) {
        trace.add("[" + l.code() + "] " + condition + " (" + conditionClause(l.conditions(), condition) + ")");
        results.add(LiabilityResult.denied(l, condition, covered));
        continue;
      }
      results.add(pay(terms, insured, claim, l, covered, preexisting, before, dDeductible, dBand, dPaid, trace));
    }

    long payout = results.stream().mapToLong(LiabilityResult::payoutFen).sum();
    DenialReason denial = payout > 0 ? null : zeroPayoutReason(results);
    Accumulators effect = new Accumulators(dDeductible, dBand, dPaid);
    trace.add("payout " + Money.yuan(payout) + " yuan" + (denial == null ? "" : " (" + denial + ")"));
    return new Adjudication(claim.id(), 1, null, p.code(), claim.date(), claim.type(), payout, denial,
        denial == null ? null : denial.name(), results, effect, trace);
  }

  private LiabilityResult pay(ProductTerms terms, Insured insured, Claim claim, Liability l, long covered,
      boolean preexisting, Accumulators before, Map<String, Long> dDeductible, Map<String, Long> dBand,
      Map<String, Long> dPaid, List<String> trace) {
    Product p = terms.product();
    String tag = "[" + l.code() + "] ";
    trace.add(tag + "covered " + Money.yuan(covered) + " = " + l.buckets().value() + " (" + l.buckets().clause() + ")");

    long counted = covered;
    boolean unfiledOutOfArea = !p.cityAdmdvs().equals(claim.hospitalCity()) && !Boolean.TRUE.equals(claim.outOfAreaFiled());
    if (l.unfiledOutOfAreaCountingBp() != null && unfiledOutOfArea) {
      counted = Money.applyBpHalfUp(covered, l.unfiledOutOfAreaCountingBp().value());
      trace.add(tag + "unfiled out-of-area stay counts " + l.unfiledOutOfAreaCountingBp().value() + " bp: "
          + Money.yuan(counted) + " (" + l.unfiledOutOfAreaCountingBp().clause() + ")");
    }

    long applied = 0;
    if (l.deductibleGroup() != null) {
      String g = l.deductibleGroup();
      long deductible = terms.deductibleFen(g, insured.assistance());
      long used = before.deductibleUsed(g) + dDeductible.getOrDefault(g, 0L);
      long remaining = Math.max(0, deductible - used);
      applied = Math.min(counted, remaining);
      dDeductible.merge(g, applied, Long::sum);
      trace.add(tag + "deductible " + g + " " + Money.yuan(deductible) + ", met before " + Money.yuan(used) + ", applied "
          + Money.yuan(applied) + " (" + p.deductibleGroup(g).amountOrShareClause() + ")");
    }
    long after = counted - applied;

    int overrideBp = -1;
    String source = "BASE";
    String overrideClause = null;
    var assistance = p.assistanceRule();
    if (l.ratioWithoutCriticalIllnessPkuBp() != null && Boolean.FALSE.equals(claim.criticalIllnessPkuActive())) {
      overrideBp = l.ratioWithoutCriticalIllnessPkuBp().value();
      source = "CRITICAL_ILLNESS_PKU_ENDED";
      overrideClause = l.ratioWithoutCriticalIllnessPkuBp().clause();
    } else if (assistance.isPresent() && assistance.get().appliesTo(insured.assistance())) {
      overrideBp = assistance.get().flatRatioBp().value();
      source = "ASSISTANCE";
      overrideClause = assistance.get().flatRatioBp().clause();
    } else if (preexisting && l.preexistingRatioBp() != null) {
      overrideBp = l.preexistingRatioBp().value();
      source = "PREEXISTING";
      overrideClause = l.preexistingRatioBp().clause();
    }

    long position = l.bandGroup() == null ? 0 : before.bandAmount(l.bandGroup()) + dBand.getOrDefault(l.bandGroup(), 0L);
    List<LiabilityResult.Segment> segments = new ArrayList<>();
    Ratio ratio = l.ratio().value();
    if (after > 0) {
      if (overrideBp >= 0 || !ratio.banded()) {
        segments.add(new LiabilityResult.Segment(position, position + after, overrideBp >= 0 ? overrideBp : ratio.flatBp()));
      } else {
        long lower = 0;
        for (Ratio.Band band : ratio.bands()) {
          long upper = band.upToFen() == null ? Long.MAX_VALUE : band.upToFen();
          long from = Math.max(position, lower);
          long to = Math.min(position + after, upper);
          if (to > from) segments.add(new LiabilityResult.Segment(from, to, band.bp()));
          lower = upper;
        }
      }
    }
    if (l.bandGroup() != null) dBand.merge(l.bandGroup(), after, Long::sum);
    long numerator = 0;
    int ratioBp = overrideBp >= 0 ? overrideBp : ratio.banded() ? ratio.bands().get(0).bp() : ratio.flatBp();
    for (LiabilityResult.Segment s : segments) {
      numerator = Math.addExact(numerator, Math.multiplyExact(s.lengthFen(), (long) s.bp()));
      ratioBp = Math.max(ratioBp, s.bp());
      trace.add(tag + Money.yuan(s.lengthFen()) + " at " + s.bp() + " bp (cumulative " + Money.yuan(s.fromFen()) + ".."
          + Money.yuan(s.toFen()) + ")");
    }
    trace.add(tag + "ratio " + source + " (" + (overrideClause != null ? overrideClause : l.ratio().clause()) + ")");
    long uncapped = Money.roundHalfUp(numerator);

    Long cap = l.annualCapFen().value();
    long paidBefore = before.paid(l.code()) + dPaid.getOrDefault(l.code(), 0L);
    long room = cap == null ? Long.MAX_VALUE : Math.max(0, cap - paidBefore);
    long payout = Math.min(uncapped, room);
    boolean capped = uncapped > room;
    dPaid.merge(l.code(), payout, Long::sum);
    trace.add(tag + "payout " + Money.yuan(payout) + (capped ? " (capped: " + Money.yuan(room) + " left of " + Money.yuan(cap) + ")" : "")
        + " (" + l.annualCapFen().clause() + ")");
    return new LiabilityResult(l.code(), l.clause(), null, covered, counted, applied, segments, ratioBp, source,
        uncapped, cap, room, capped, payout);
  }

  private static DenialReason zeroPayoutReason(List<LiabilityResult> results) {
    if (results.stream().allMatch(r -> r.denial() != null)) return results.get(0).denial();
    var paying = results.stream().filter(r -> r.denial() == null).toList();
    if (paying.stream().anyMatch(r -> r.capped() && r.capRemainingBeforeFen() == 0)) return DenialReason.CAP_REACHED;
    if (paying.stream().anyMatch(r -> r.countedFen() > 0)
        && paying.stream().allMatch(r -> r.countedFen() == r.deductibleAppliedFen())) {
      return DenialReason.UNDER_DEDUCTIBLE;
    }
    var ruled = results.stream().filter(r -> r.denial() != null && r.coveredFen() > 0).findFirst();
    return ruled.map(LiabilityResult::denial).orElse(DenialReason.NOTHING_COVERED);
  }

  private static DenialReason firstFailedCondition(Conditions c, Insured insured, Claim claim, Product p) {
    if (c.schemes() != null && !c.schemes().value().contains(insured.scheme())) return DenialReason.SCHEME_NOT_COVERED;
    if (c.maxAge() != null && insured.ageOn(claim.date()) > c.maxAge().value()) return DenialReason.AGE_LIMIT;
    if (c.treatedInCity() != null && c.treatedInCity().value() && !p.cityAdmdvs().equals(claim.hospitalCity())) {
      return DenialReason.TREATED_OUTSIDE_CITY;
    }
    if (c.minHospitalGrade() != null && (claim.hospitalGrade() == null || claim.hospitalGrade() < c.minHospitalGrade().value())) {
      return DenialReason.HOSPITAL_GRADE_TOO_LOW;
    }
    if (c.institutions() != null && (claim.institution() == null || !c.institutions().value().contains(claim.institution()))) {
      return DenialReason.INSTITUTION_NOT_DESIGNATED;
    }
    if (c.drugs() != null && (claim.drug() == null || !c.drugs().value().contains(claim.drug()))) return DenialReason.DRUG_NOT_LISTED;
    if (c.pharmacies() != null && (claim.pharmacy() == null || !c.pharmacies().value().contains(claim.pharmacy()))) {
      return DenialReason.PHARMACY_NOT_DESIGNATED;
    }
    if (c.qualifiedPrescription() != null && c.qualifiedPrescription().value() && !Boolean.TRUE.equals(claim.qualifiedPrescription())) {
      return DenialReason.PRESCRIPTION_NOT_QUALIFIED;
    }
    return null;
  }

  private static String conditionClause(Conditions c, DenialReason r) {
    Cited<?> cited = switch (r) {
      case SCHEME_NOT_COVERED -> c.schemes();
      case AGE_LIMIT -> c.maxAge();
      case TREATED_OUTSIDE_CITY -> c.treatedInCity();
      case HOSPITAL_GRADE_TOO_LOW -> c.minHospitalGrade();
      case INSTITUTION_NOT_DESIGNATED -> c.institutions();
      case DRUG_NOT_LISTED -> c.drugs();
      case PHARMACY_NOT_DESIGNATED -> c.pharmacies();
      default -> c.qualifiedPrescription();
    };
    return cited.clause();
  }

  private static Adjudication denied(Product p, Claim claim, DenialReason reason, String detail, String clause,
      List<String> trace) {
    trace.add(reason + ": " + detail + " (" + clause + ")");
    return new Adjudication(claim.id(), 1, null, p.code(), claim.date(), claim.type(), 0, reason, detail, List.of(),
        Accumulators.EMPTY, trace);
  }
}
