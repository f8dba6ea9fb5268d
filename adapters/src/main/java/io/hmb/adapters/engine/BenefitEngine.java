package io.hmb.adapters.engine;

import java.util.ArrayList;
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
    // admdvs is a hierarchy: any district or county of the city (瓦房店市 210281 in Dalian 210200) is in the city
    boolean insuredHere = p.inCity(insured.insuredCity());
    if (rules.insuredMustBeInCity().value() && !insuredHere) {
      return denied(p, claim, DenialReason.NOT_INSURED_IN_CITY,
          "insured in " + insured.insuredCity() + ", product city " + p.cityAdmdvs(), rules.insuredMustBeInCity().clause(), trace);
    }
    if (rules.insuredElsewhereTreatedInCityOnly().value() && !insuredHere && !p.inCity(claim.hospitalCity())) {
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
      if (rules.causesExclude(claim.type())) {
        return denied(p, claim, DenialReason.EXCLUDED_CAUSE, "excluded cause " + claim.excludedCause(),
            rules.excludedCauses().clause(), trace);
      }
      trace.add("cause " + claim.excludedCause() + " excludes only " + rules.excludedCausesClaimTypes().value() + " claims, not "
          + claim.type() + " (" + rules.excludedCausesClaimTypes().clause() + ")");
    }

    List<Liability> forType = p.liabilities().stream().filter(l -> l.covers(claim.type())).toList();
    if (forType.isEmpty()) {
      return denied(p, claim, DenialReason.NOT_COVERED, "the product has no liability for " + claim.type() + " claims",
          "product " + p.code() + " liabilities", trace);
    }
    for (Liability l : forType) {
      if (!l.offered()) trace.add("[" + l.code() + "] not offered by this plan (" + l.inPlan().clause() + ")");
    }
    List<Liability> matching = forType.stream().filter(Liability::offered).toList();
    if (matching.isEmpty()) {
      return denied(p, claim, DenialReason.NOT_COVERED, "this plan offers no liability for " + claim.type() + " claims",
          forType.get(0).inPlan().clause(), trace);
    }

    boolean preexisting = rules.preexistingScope().value() == ClaimRules.PreexistingScope.CLAIM
        && claim.preexistingRelated() != null ? claim.preexistingRelated() : insured.preexisting();
    ClaimInput in = new ClaimInput(terms, insured, claim, preexisting);
    Accumulators effect = Accumulators.EMPTY;
    List<LiabilityResult> results = new ArrayList<>();
    for (Liability l : matching) {
      long covered = 0;
      for (Bucket b : l.buckets().value()) {
        covered += claim.amount(b);
        if (b.partOfOutOfCatalogue() && claim.amount(b) == 0 && claim.costs().outOfCatalogueFen() > 0) {
          trace.add("[" + l.code() + "] " + b + " not shown by the claim's items: counts 0 of out-of-catalogue "
              + Money.yuan(claim.costs().outOfCatalogueFen()) + " (" + l.buckets().clause() + ")");
        }
      }
      Failed failed = firstFailedCondition(l.conditions(), insured, claim, p);
      if (failed != null) {
        trace.add("[" + l.code() + "] " + failed.reason() + " (" + failed.rule().clause() + ")");
        results.add(LiabilityResult.denied(l, failed.reason(), covered));
        continue;
      }
      LiabilityStep step = pay(in, l, covered, new Running(before, effect));
      trace.addAll(step.trace());
      results.add(step.result());
      effect = effect.plus(step.delta());
    }

    long payout = results.stream().mapToLong(LiabilityResult::payoutFen).sum();
    DenialReason denial = payout > 0 ? null : zeroPayoutReason(results);
    trace.add("payout " + Money.yuan(payout) + " yuan" + (denial == null ? "" : " (" + denial + ")"));
    return Adjudication.first(claim, p.code(), payout, denial, denial == null ? null : denial.name(), results, effect, trace);
  }

  /** What every liability of one claim is decided on; {@code preexisting} already resolved per the product. */
  private record ClaimInput(ProductTerms terms, Insured insured, Claim claim, boolean preexisting) {
    Product product() {
      return terms.product();
    }
  }

  /**
   * The accumulators a liability sees: the year's totals before the claim plus what the claim's earlier
   * liabilities already used (shared deductible and band groups are drawn in product-file order).
   */
  private record Running(Accumulators before, Accumulators claimSoFar) {
    long deductibleUsed(String group) {
      return before.deductibleUsed(group) + claimSoFar.deductibleUsed(group);
    }

    long bandAmount(String group) {
      return before.bandAmount(group) + claimSoFar.bandAmount(group);
    }

    long paid(String liability) {
      return before.paid(liability) + claimSoFar.paid(liability);
    }
  }

  /** One liability decided: its result, the delta it adds to the accumulators, and its trace lines. */
  private record LiabilityStep(LiabilityResult result, Accumulators delta, List<String> trace) {}

  /** The ratio a liability pays at when an override replaces its own ratio (the band position still advances). */
  private record RatioOverride(int bp, String source, String clause) {
    static final RatioOverride NONE = new RatioOverride(-1, "BASE", null);

    boolean applies() {
      return bp >= 0;
    }
  }

  /**
   * One liability, in named steps: covered -> counted -> deductible -> ratio (override or bands) -> one
   * half-up rounding -> annual cap. Reads {@code running}, never edits it; what the liability uses is
   * returned as {@link LiabilityStep#delta} for the caller to add.
   */
  private LiabilityStep pay(ClaimInput in, Liability l, long covered, Running running) {
    List<String> trace = new ArrayList<>();
    String tag = "[" + l.code() + "] ";
    trace.add(tag + "covered " + Money.yuan(covered) + " = " + l.buckets().value() + " (" + l.buckets().clause() + ")");

    long counted = counted(in, l, covered, tag, trace);
    long applied = deductibleApplied(in, l, counted, running, tag, trace);
    long after = counted - applied;
    RatioOverride override = ratioOverride(in, l);
    long position = l.bandGroup() == null ? 0 : running.bandAmount(l.bandGroup());
    List<LiabilityResult.Segment> segments = segments(l.ratio().value(), override, position, after);

    long numerator = 0;
    Ratio ratio = l.ratio().value();
    int ratioBp = override.applies() ? override.bp() : ratio.banded() ? ratio.bands().get(0).bp() : ratio.flatBp();
    for (LiabilityResult.Segment s : segments) {
      numerator = Math.addExact(numerator, Math.multiplyExact(s.lengthFen(), (long) s.bp()));
      ratioBp = Math.max(ratioBp, s.bp());
      trace.add(tag + Money.yuan(s.lengthFen()) + " at " + s.bp() + " bp (cumulative " + Money.yuan(s.fromFen()) + ".."
          + Money.yuan(s.toFen()) + ")");
    }
    trace.add(tag + "ratio " + override.source() + " (" + (override.clause() != null ? override.clause() : l.ratio().clause()) + ")");
    long uncapped = Money.roundHalfUp(numerator);

    Long cap = l.annualCapFen().value();
    long room = cap == null ? Long.MAX_VALUE : Math.max(0, cap - running.paid(l.code()));
    long payout = Math.min(uncapped, room);
    boolean capped = uncapped > room;
    trace.add(tag + "payout " + Money.yuan(payout) + (capped ? " (capped: " + Money.yuan(room) + " left of " + Money.yuan(cap) + ")" : "")
        + " (" + l.annualCapFen().clause() + ")");
    LiabilityResult result = new LiabilityResult(l.code(), l.clause(), null, covered, counted, applied, segments, ratioBp,
        override.source(), uncapped, cap, room, capped, payout);
    return new LiabilityStep(result, delta(l, applied, after, payout), trace);
  }

  /** The counting rule: an unfiled out-of-area stay counts only part of what is covered (大病 第十条). */
  private static long counted(ClaimInput in, Liability l, long covered, String tag, List<String> trace) {
    boolean unfiledOutOfArea = !in.product().inCity(in.claim().hospitalCity())
        && !Boolean.TRUE.equals(in.claim().outOfAreaFiled());
    if (l.unfiledOutOfAreaCountingBp() == null || !unfiledOutOfArea) return covered;
    long counted = Money.applyBpHalfUp(covered, l.unfiledOutOfAreaCountingBp().value());
    trace.add(tag + "unfiled out-of-area stay counts " + l.unfiledOutOfAreaCountingBp().value() + " bp: "
        + Money.yuan(counted) + " (" + l.unfiledOutOfAreaCountingBp().clause() + ")");
    return counted;
  }

  /** The deductible this claim meets on the liability's group: what is left of it, at most what counts. */
  private static long deductibleApplied(ClaimInput in, Liability l, long counted, Running running, String tag,
      List<String> trace) {
    if (l.deductibleGroup() == null) return 0;
    String g = l.deductibleGroup();
    long deductible = in.terms().deductibleFen(g, in.insured().assistance());
    long used = running.deductibleUsed(g);
    long applied = Math.min(counted, Math.max(0, deductible - used));
    trace.add(tag + "deductible " + g + " " + Money.yuan(deductible) + ", met before " + Money.yuan(used) + ", applied "
        + Money.yuan(applied) + " (" + in.product().deductibleGroup(g).amountOrShareClause() + ")");
    return applied;
  }

  /** Which ratio replaces the liability's own, first match wins: PKU ended, assistance, pre-existing. */
  private static RatioOverride ratioOverride(ClaimInput in, Liability l) {
    var assistance = in.product().assistanceRule();
    if (l.ratioWithoutCriticalIllnessPkuBp() != null && Boolean.FALSE.equals(in.claim().criticalIllnessPkuActive())) {
      return new RatioOverride(l.ratioWithoutCriticalIllnessPkuBp().value(), "CRITICAL_ILLNESS_PKU_ENDED",
          l.ratioWithoutCriticalIllnessPkuBp().clause());
    }
    if (assistance.isPresent() && assistance.get().appliesTo(in.insured().assistance())) {
      return new RatioOverride(assistance.get().flatRatioBp().value(), "ASSISTANCE", assistance.get().flatRatioBp().clause());
    }
    if (in.preexisting() && l.preexistingRatioBp() != null) {
      return new RatioOverride(l.preexistingRatioBp().value(), "PREEXISTING", l.preexistingRatioBp().clause());
    }
    return RatioOverride.NONE;
  }

  /** The after-deductible amount laid on the band group from {@code position}: one segment, or one per band reached. */
  private static List<LiabilityResult.Segment> segments(Ratio ratio, RatioOverride override, long position, long after) {
    List<LiabilityResult.Segment> segments = new ArrayList<>();
    if (after <= 0) return segments;
    if (override.applies() || !ratio.banded()) {
      segments.add(new LiabilityResult.Segment(position, position + after, override.applies() ? override.bp() : ratio.flatBp()));
      return segments;
    }
    long lower = 0;
    for (Ratio.Band band : ratio.bands()) {
      long upper = band.upToFen() == null ? Long.MAX_VALUE : band.upToFen();
      long from = Math.max(position, lower);
      long to = Math.min(position + after, upper);
      if (to > from) segments.add(new LiabilityResult.Segment(from, to, band.bp()));
      lower = upper;
    }
    return segments;
  }

  /** What one liability adds to the accumulators: deductible met, band position advanced, amount paid. */
  private static Accumulators delta(Liability l, long deductibleApplied, long afterDeductible, long payout) {
    return new Accumulators(only(l.deductibleGroup(), deductibleApplied), only(l.bandGroup(), afterDeductible),
        Map.of(l.code(), payout));
  }

  private static Map<String, Long> only(String key, long fen) {
    return key == null ? Map.of() : Map.of(key, fen);
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

  /** The first condition a claim fails, with the rule it fails. */
  private record Failed(DenialReason reason, Cited<?> rule) {}

  private static Failed firstFailedCondition(Conditions c, Insured insured, Claim claim, Product p) {
    if (c.schemes() != null && !c.schemes().value().contains(insured.scheme())) return new Failed(DenialReason.SCHEME_NOT_COVERED, c.schemes());
    if (c.insuredInCity() != null && c.insuredInCity().value() && !p.inCity(insured.insuredCity())) {
      return new Failed(DenialReason.NOT_INSURED_IN_CITY, c.insuredInCity());
    }
    if (c.maxAge() != null && insured.ageOn(claim.date()) > c.maxAge().value()) return new Failed(DenialReason.AGE_LIMIT, c.maxAge());
    if (c.treatedInCity() != null && c.treatedInCity().value() && !p.inCity(claim.hospitalCity())) {
      return new Failed(DenialReason.TREATED_OUTSIDE_CITY, c.treatedInCity());
    }
    if (c.minHospitalGrade() != null && (claim.hospitalGrade() == null || claim.hospitalGrade() < c.minHospitalGrade().value())) {
      return new Failed(DenialReason.HOSPITAL_GRADE_TOO_LOW, c.minHospitalGrade());
    }
    if (c.institutions() != null && (claim.institution() == null || !c.institutions().value().contains(claim.institution()))) {
      return new Failed(DenialReason.INSTITUTION_NOT_DESIGNATED, c.institutions());
    }
    if (c.drugs() != null) {
      DrugListing listed = c.listing(claim.drug());
      if (listed == null) return new Failed(DenialReason.DRUG_NOT_LISTED, c.drugs());
      // 责任免除 2: a brand or manufacturer other than the list's excludes, when the claim shows it
      String brand = claim.items().drugBrand();
      String maker = claim.items().drugManufacturer();
      if ((listed.brand() != null && brand != null && !listed.brand().equals(brand))
          || (listed.manufacturer() != null && maker != null && !listed.manufacturer().equals(maker))) {
        return new Failed(DenialReason.DRUG_BRAND_MISMATCH, c.drugs());
      }
    }
    if (c.drugOnList() != null && c.drugOnList().value() && !Boolean.TRUE.equals(claim.items().drugOnList())) {
      return new Failed(DenialReason.DRUG_NOT_LISTED, c.drugOnList());
    }
    if (c.pharmacies() != null && (claim.pharmacy() == null || !c.pharmacies().value().contains(claim.pharmacy()))) {
      return new Failed(DenialReason.PHARMACY_NOT_DESIGNATED, c.pharmacies());
    }
    if (c.qualifiedPrescription() != null && c.qualifiedPrescription().value() && !Boolean.TRUE.equals(claim.qualifiedPrescription())) {
      return new Failed(DenialReason.PRESCRIPTION_NOT_QUALIFIED, c.qualifiedPrescription());
    }
    return null;
  }

  private static Adjudication denied(Product p, Claim claim, DenialReason reason, String detail, String clause,
      List<String> trace) {
    trace.add(reason + ": " + detail + " (" + clause + ")");
    return Adjudication.first(claim, p.code(), 0, reason, detail, List.of(), Accumulators.EMPTY, trace);
  }
}
