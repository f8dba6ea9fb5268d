package io.hmb.adapters.engine;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One settled bill presented for a product's benefit. Optional facts are null when not shown; the rules
 * that need a fact deny when it is not shown rather than guess.
 *
 * @param date the settlement (discharge or purchase) day, China Standard Time
 * @param hospitalCity six-digit admdvs of where the care happened
 * @param outOfAreaFiled whether an out-of-area stay was filed (异地就医备案); null = not shown = not filed
 * @param qualifiedPrescription special drugs: prescribed by a doctor qualified to prescribe them
 * @param criticalIllnessPkuActive PKU food: whether 大病保险's PKU food cover is still in force (null: in force)
 * @param hospitalGrade 1, 2 or 3 (一级/二级/三级), where a product limits the grade
 * @param institution name of the treating institution, where a product lists institutions
 * @param preexistingRelated for products whose pre-existing ratio is per disease: whether this claim is
 *     for a pre-existing condition (null: the person's flag)
 * @param excludedCause a whole-claim exclusion cause found on review (e.g. SELF_HARM), or null
 */
public record Claim(String id, LocalDate date, ClaimType type, String hospitalCity, boolean settledByBasicInsurance,
    Boolean outOfAreaFiled, Costs costs, String drug, String pharmacy, Boolean qualifiedPrescription,
    Boolean criticalIllnessPkuActive, Integer hospitalGrade, String institution, Boolean preexistingRelated,
    String excludedCause) {

  public Claim {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hospitalCity, "hospitalCity");
    Objects.requireNonNull(costs, "costs");
  }

  /** A claim with only the required facts, settled through basic insurance; use the with-ers for the rest. */
  public static Claim of(String id, LocalDate date, ClaimType type, String hospitalCity, Costs costs) {
    return builder(id, date, type, hospitalCity, costs).build();
  }

  /**
   * A claim built by naming its optional facts; those not named stay null (not shown), and
   * {@code settledByBasicInsurance} starts true.
   */
  public static Builder builder(String id, LocalDate date, ClaimType type, String hospitalCity, Costs costs) {
    return new Builder(id, date, type, hospitalCity, costs);
  }

  /** A builder holding this claim's facts, to change some of them by name. */
  public Builder toBuilder() {
    return new Builder(id, date, type, hospitalCity, costs).settledByBasicInsurance(settledByBasicInsurance)
        .outOfAreaFiled(outOfAreaFiled).drug(drug).pharmacy(pharmacy).qualifiedPrescription(qualifiedPrescription)
        .criticalIllnessPkuActive(criticalIllnessPkuActive).hospitalGrade(hospitalGrade).institution(institution)
        .preexistingRelated(preexistingRelated).excludedCause(excludedCause);
  }

  public Claim withId(String newId) {
    return toBuilder().id(newId).build();
  }

  public Claim withCosts(Costs newCosts) {
    return toBuilder().costs(newCosts).build();
  }

  /** Names each fact of a {@link Claim}; see the record's components for what they mean. */
  public static final class Builder {
    private String id;
    private final LocalDate date;
    private final ClaimType type;
    private final String hospitalCity;
    private Costs costs;
    private boolean settledByBasicInsurance = true;
    private Boolean outOfAreaFiled;
    private String drug;
    private String pharmacy;
    private Boolean qualifiedPrescription;
    private Boolean criticalIllnessPkuActive;
    private Integer hospitalGrade;
    private String institution;
    private Boolean preexistingRelated;
    private String excludedCause;

    private Builder(String id, LocalDate date, ClaimType type, String hospitalCity, Costs costs) {
      this.id = id;
      this.date = date;
      this.type = type;
      this.hospitalCity = hospitalCity;
      this.costs = costs;
    }

    private Builder id(String id) {
      this.id = id;
      return this;
    }

    private Builder costs(Costs costs) {
      this.costs = costs;
      return this;
    }

    public Builder settledByBasicInsurance(boolean settled) {
      this.settledByBasicInsurance = settled;
      return this;
    }

    public Builder outOfAreaFiled(Boolean filed) {
      this.outOfAreaFiled = filed;
      return this;
    }

    public Builder drug(String drug) {
      this.drug = drug;
      return this;
    }

    public Builder pharmacy(String pharmacy) {
      this.pharmacy = pharmacy;
      return this;
    }

    public Builder qualifiedPrescription(Boolean qualified) {
      this.qualifiedPrescription = qualified;
      return this;
    }

    public Builder criticalIllnessPkuActive(Boolean active) {
      this.criticalIllnessPkuActive = active;
      return this;
    }

    public Builder hospitalGrade(Integer grade) {
      this.hospitalGrade = grade;
      return this;
    }

    public Builder institution(String institution) {
      this.institution = institution;
      return this;
    }

    public Builder preexistingRelated(Boolean related) {
      this.preexistingRelated = related;
      return this;
    }

    public Builder excludedCause(String cause) {
      this.excludedCause = cause;
      return this;
    }

    public Claim build() {
      return new Claim(id, date, type, hospitalCity, settledByBasicInsurance, outOfAreaFiled, costs, drug, pharmacy,
          qualifiedPrescription, criticalIllnessPkuActive, hospitalGrade, institution, preexistingRelated, excludedCause);
    }
  }
}
