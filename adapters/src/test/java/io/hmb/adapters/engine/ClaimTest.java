package io.hmb.adapters.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ClaimTest {
  static final LocalDate DAY = LocalDate.of(2025, 3, 1);
  static final Costs COSTS = new Costs(500_000, 300_000, 150_000, 20_000, 30_000, 0, 0);

  @Test
  void theBuilderNamesEachFactAndLeavesTheRestNotShown() {
    Claim built = Claim.builder("c1", DAY, ClaimType.SPECIAL_DRUG, "210200", COSTS).settledByBasicInsurance(false)
        .outOfAreaFiled(true).drug("D1").pharmacy("P1").qualifiedPrescription(true).criticalIllnessPkuActive(false)
        .hospitalGrade(3).institution("I1").preexistingRelated(true).excludedCause("SELF_HARM").build();
    assertThat(built).isEqualTo(new Claim("c1", DAY, ClaimType.SPECIAL_DRUG, "210200", false, true, COSTS, "D1", "P1",
        true, false, 3, "I1", true, "SELF_HARM", Claim.Items.NONE));
    assertThat(Claim.builder("c1", DAY, ClaimType.INPATIENT, "210200", COSTS).build()).isEqualTo(
        new Claim("c1", DAY, ClaimType.INPATIENT, "210200", true, null, COSTS, null, null, null, null, null, null, null, null, null))
        .isEqualTo(Claim.of("c1", DAY, ClaimType.INPATIENT, "210200", COSTS));
  }

  @Test
  void withersChangeOnlyWhatTheyName() {
    Claim c = Claim.builder("c1", DAY, ClaimType.INPATIENT, "210200", COSTS).outOfAreaFiled(false).hospitalGrade(2)
        .institution("I1").excludedCause("SELF_HARM").build();
    Costs other = new Costs(1, 1, 0, 0, 0, 0, 0);
    assertThat(c.withId("c2")).isEqualTo(new Claim("c2", DAY, ClaimType.INPATIENT, "210200", true, false, COSTS, null, null,
        null, null, 2, "I1", null, "SELF_HARM", null));
    assertThat(c.withCosts(other)).isEqualTo(new Claim("c1", DAY, ClaimType.INPATIENT, "210200", true, false, other, null,
        null, null, null, 2, "I1", null, "SELF_HARM", Claim.Items.NONE));
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }
}
