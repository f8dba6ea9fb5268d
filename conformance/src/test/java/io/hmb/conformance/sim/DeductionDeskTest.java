package io.hmb.conformance.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.adapters.engine.Product;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.Relation;
import io.hmb.adapters.enrolment.EnrolmentRules;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.conformance.sim.Resident.HouseholdRole;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The reference bureau's deduction refusals name the rule, never an amount or a person (issue 15, finding 2). */
class DeductionDeskTest {
  static final String DALIAN = "210200";
  final ProductCatalog catalog = ProductCatalog.shipped();
  final Population population = Population.generate(DALIAN, 20, 7);
  final BusinessDay day = new BusinessDay(CityProfile.of(DALIAN).enrolmentDay());
  final DeductionDesk desk = new DeductionDesk(DALIAN, population, new PersonalAccounts(population), new PolicyRegister(),
      catalog, day, Clock.fixed(day.today().atStartOfDay().toInstant(ZoneOffset.ofHours(8)), ZoneOffset.UTC), Flaw.NONE);

  @Test
  void aWrongAmountIsRefusedByNamingThePremiumRuleNotThePremium() {
    Resident worker = population.member(0, HouseholdRole.WORKER);
    Product upgrade = catalog.get("dalian-2025-upgrade");
    long premium = EnrolmentRules.premiumFen(upgrade, worker.birthDate(), day.today());

    DeductionReceipt refused = desk.request(request(worker, upgrade, 1), "INSURER-LEAD-210200", "one-fen");

    assertThat(refused.getState()).isEqualTo(DeductionReceipt.State.STATE_REJECTED);
    assertThat(refused.getRejectionReason()).isEqualTo(DeductionReceipt.RejectionReason.REJECTION_REASON_WRONG_AMOUNT);
    // The finding: "the premium is 19800 fen, asked 1 fen". The premium follows from the age band, so it says who.
    assertThat(refused.getDetail()).doesNotContain(Long.toString(premium)).doesNotContain("fen")
        .doesNotContain(worker.certNumber()).doesNotContain(worker.name())
        .contains(upgrade.enrolment().orElseThrow().premium().clause());
    assertThat(refused.getAmountFen()).isZero();
    // The right amount is posted: the refusal above was about the amount alone.
    assertThat(desk.request(request(worker, upgrade, premium), "INSURER-LEAD-210200", "right-amount").getState())
        .isEqualTo(DeductionReceipt.State.STATE_POSTED);
  }

  private static DeductionRequest request(Resident r, Product product, long fen) {
    return DeductionRequest.newBuilder().setPayer(r.toPerson()).setInsured(r.toPerson())
        .setRelation(Relations.toProto(Relation.SELF)).setProductCode(product.code()).setPolicyNumber("P-1")
        .setAmountFen(fen).build();
  }
}
