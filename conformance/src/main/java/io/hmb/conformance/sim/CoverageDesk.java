package io.hmb.conformance.sim;

import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageDecision.NotCoveredReason;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.LiabilityRoom;
import io.hmb.client.MessageContext;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The lead insurer's answer to "is this person covered on this day?": the policy of the asked product,
 * or of another product of the city (basic XOR upgrade: the decision names the plan held), the
 * pre-existing flag, the period and what is left per liability in the person's policy-year ledger.
 */
final class CoverageDesk {
  private final PolicyBook book;
  private final ProductCatalog catalog;
  private final BusinessDay day;

  CoverageDesk(PolicyBook book, ProductCatalog catalog, BusinessDay day) {
    this.book = book;
    this.catalog = catalog;
    this.day = day;
  }

  CoverageDecision answer(CoverageQuery q, MessageContext ctx) {
    LocalDate on = q.hasDate() ? ProtoDates.localDate(q.getDate()) : day.today();
    Optional<Policy> found = book.find(q.getPerson().getCertNumber(),
        product -> catalog.get(product).cityAdmdvs().equals(ctx.admdvs()), ctx.productCode(), on);
    if (found.isEmpty()) {
      return notCovered(NotCoveredReason.NOT_COVERED_REASON_NOT_ENROLLED);
    }
    Policy p = found.get();
    CoverageDecision.Builder d = CoverageDecision.newBuilder().setProductCode(p.productCode())
        .setPolicyNumber(p.policyNumber()).setPreexistingCondition(p.application().preexisting());
    p.span().ifPresent(s -> d.setPeriodStartDate(ProtoDates.date(s.start()))
        .setPeriodEndDate(ProtoDates.date(s.endExclusive().minusDays(1))));
    if (p.state() == Policy.State.CANCELLED) {
      return d.setCovered(false).setNotCoveredReason(NotCoveredReason.NOT_COVERED_REASON_CANCELLED).build();
    }
    if (p.span().isEmpty() || !p.span().get().contains(on)) {
      return d.setCovered(false).setNotCoveredReason(NotCoveredReason.NOT_COVERED_REASON_OUTSIDE_PERIOD).build();
    }
    p.withLedger(ledger -> {
      ledger.room().forEach(r -> d.addLiabilityRoom(LiabilityRoom.newBuilder().setLiability(r.liability())
          .setDeductibleRemainingFen(r.deductibleRemainingFen()).setCapRemainingFen(r.capRemainingFen())));
      return null;
    });
    return d.setCovered(true).build();
  }

  private static CoverageDecision notCovered(NotCoveredReason reason) {
    return CoverageDecision.newBuilder().setCovered(false).setNotCoveredReason(reason).build();
  }
}
