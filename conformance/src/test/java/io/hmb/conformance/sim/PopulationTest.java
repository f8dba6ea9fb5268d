package io.hmb.conformance.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.adapters.engine.Relation;
import io.hmb.adapters.engine.Scheme;
import io.hmb.conformance.sim.Resident.HouseholdRole;
import io.hmb.security.mask.ResidentIdNumber;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class PopulationTest {
  @Test
  void theSameSeedGivesTheSamePeopleWithValidUniqueIdNumbers() {
    Population a = Population.generate("371500", 200, 42);
    Population b = Population.generate("371500", 200, 42);
    assertThat(a.residents()).isEqualTo(b.residents());
    assertThat(Population.generate("371500", 200, 43).residents()).isNotEqualTo(a.residents());
    assertThat(a.residents()).hasSize(800).allSatisfy(r -> {
      assertThat(ResidentIdNumber.isValid(r.certNumber())).isTrue();
      assertThat(r.certNumber()).startsWith("3715");
      assertThat(r.insuredCity()).isEqualTo("371500");
    });
    assertThat(new HashSet<>(a.residents().stream().map(Resident::certNumber).toList())).hasSize(800);
  }

  @Test
  void householdsFixTheFamilyRelationsAndOnlyEmployeesHoldAccounts() {
    Population p = Population.generate("371500", 20, 1);
    Resident worker = p.member(0, HouseholdRole.WORKER);
    Resident spouse = p.member(0, HouseholdRole.SPOUSE);
    Resident child = p.member(0, HouseholdRole.CHILD);
    Resident parent = p.member(0, HouseholdRole.PARENT);
    assertThat(Population.relation(worker, worker)).isEqualTo(Relation.SELF);
    assertThat(Population.relation(spouse, worker)).isEqualTo(Relation.SPOUSE);
    assertThat(Population.relation(child, worker)).isEqualTo(Relation.CHILD);
    assertThat(Population.relation(parent, worker)).isEqualTo(Relation.PARENT);
    assertThat(Population.relation(parent, spouse)).isEqualTo(Relation.PARENT_IN_LAW);
    assertThat(Population.relation(child, parent)).isEqualTo(Relation.OTHER);
    assertThat(Population.relation(p.member(1, HouseholdRole.CHILD), worker)).isEqualTo(Relation.OTHER);
    assertThat(worker.personalAccount()).isTrue();
    assertThat(worker.scheme()).isEqualTo(Scheme.EMPLOYEE);
    assertThat(child.personalAccount()).isFalse();
    assertThat(p.member(9, HouseholdRole.WORKER).openingBalanceFen()).isEqualTo(Population.LOW_BALANCE_FEN);
    assertThat(p.member(12, HouseholdRole.SPOUSE).suspended()).isTrue();
  }

  @Test
  void toStringMasksTheIdNumberAndOmitsTheName() {
    Resident r = Population.generate("210200", 1, 5).member(0, HouseholdRole.WORKER);
    assertThat(r.toString()).doesNotContain(r.certNumber()).doesNotContain(r.name()).contains("**********");
  }
}
