package io.hmb.conformance.sim;

import io.hmb.adapters.engine.Relation;
import io.hmb.api.v1.FamilyRelation;
import io.hmb.api.v1.InsuredStatus;
import io.hmb.api.v1.InsuredStatusQuery;
import java.util.Optional;

/**
 * The bureau's answer to "is this person insured here, in good standing, and may this payer pay for
 * them from the personal account?" (enrolment check), from its population.
 */
final class InsuredStatusDesk {
  private final String city;
  private final Population population;

  InsuredStatusDesk(String city, Population population) {
    this.city = city;
    this.population = population;
  }

  InsuredStatus answer(InsuredStatusQuery q) {
    Optional<Resident> person = population.find(q.getPerson().getCertNumber());
    InsuredStatus.Builder a = InsuredStatus.newBuilder();
    if (person.isEmpty() || !city.equals(person.get().insuredCity())) {
      a.setInsured(false);
    } else {
      Resident r = person.get();
      a.setInsured(true).setScheme(r.schemeProto()).setInGoodStanding(!r.suspended()).setInsuredAdmdvs(city)
          .setAssistanceStatus(r.assistanceProto());
    }
    if (q.hasPayer() && !q.getPayer().getCertNumber().isEmpty()) {
      Optional<Resident> payer = population.find(q.getPayer().getCertNumber());
      if (person.isEmpty() || payer.isEmpty()) {
        a.setPayerMayPay(false).setRelationToPayer(FamilyRelation.FAMILY_RELATION_OTHER);
      } else {
        Relation relation = Population.relation(person.get(), payer.get());
        boolean mayPay = payer.get().personalAccount() && !payer.get().suspended() && city.equals(payer.get().insuredCity())
            && Relations.direct(relation);
        a.setPayerMayPay(mayPay).setRelationToPayer(Relations.toProto(relation));
      }
    }
    return a.build();
  }
}
