package io.hmb.adapters.engine;

import io.hmb.api.Admdvs;
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
 * @param items what the bill shows about its items against the product's lists ({@link Items#NONE}: nothing shown)
 */
public record Claim(String id, LocalDate date, ClaimType type, String hospitalCity, boolean settledByBasicInsurance,
    Boolean outOfAreaFiled, Costs costs, String drug, String pharmacy, Boolean qualifiedPrescription,
    Boolean criticalIllnessPkuActive, Integer hospitalGrade, String institution, Boolean preexistingRelated,
    String excludedCause, Items items) {

  /**
   * Facts about the bill's items that only item-level data shows (national platform fee details, the
   * bureau's or insurer's list matching). Each is null when not shown.
   *
   * @param classCFen the part of {@code out_of_catalogue_fen} that is 丙类 (收费项目等级 chrgitm_lv 03) inside
   *     the basic catalogue; Wuwei 八(一)
   * @param listedOutOfCatalogueFen the part of {@code out_of_catalogue_fen} on the bureau-compiled list of
   *     covered out-of-catalogue items; Wuwei 八(二)
   * @param drugOnList the drug's code is on the product's published drug list (e.g. Liaocheng's
   *     特定高额药品目录, which the seed does not print)
   * @param drugBrand the drug's brand (商品名) as dispensed
   * @param drugManufacturer the drug's manufacturer (生产厂家) as dispensed
   */
  public record Items(Long classCFen, Long listedOutOfCatalogueFen, Boolean drugOnList, String drugBrand,
      String drugManufacturer) {
    public static final Items NONE = new Items(null, null, null, null, null);
  }

  public Claim {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(hospitalCity, "hospitalCity");
    Objects.requireNonNull(costs, "costs");
    if (!Admdvs.isWellFormed(hospitalCity)) {
      throw new ClaimInputException(ClaimInputException.Reason.UNKNOWN_CODE, "hospital_city",
          "must be a six-digit admdvs, was \"" + hospitalCity + "\"");
    }
    items = items == null ? Items.NONE : items;
    long parts = 0;
    for (var part : new Object[][] {{"class_c_fen", items.classCFen()}, {"listed_out_of_catalogue_fen", items.listedOutOfCatalogueFen()}}) {
      Long fen = (Long) part[1];
      if (fen == null) continue;
      if (fen < 0) throw new ClaimInputException(ClaimInputException.Reason.NEGATIVE_AMOUNT, (String) part[0], "was " + fen);
      parts += fen;
    }
    if (parts > costs.outOfCatalogueFen()) {
      throw new ClaimInputException(ClaimInputException.Reason.BAD_VALUE, "class_c_fen",
          "class_c_fen + listed_out_of_catalogue_fen = " + parts + " fen exceeds out_of_catalogue_fen "
              + costs.outOfCatalogueFen() + " (both are disjoint parts of it)");
    }
  }

  /**
   * What the claim shows in bucket {@code b}; the two parts of the out-of-catalogue bucket read {@link #items()},
   * and are 0 when not shown (so a liability needing them pays nothing on them).
   */
  public long amount(Bucket b) {
    return switch (b) {
      case CLASS_C -> items.classCFen() == null ? 0 : items.classCFen();
      case LISTED_OUT_OF_CATALOGUE -> items.listedOutOfCatalogueFen() == null ? 0 : items.listedOutOfCatalogueFen();
      default -> costs.bucket(b);
    };
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
        .preexistingRelated(preexistingRelated).excludedCause(excludedCause).items(items);
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
    private Items items = Items.NONE;

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

    public Builder items(Items items) {
      this.items = items;
      return this;
    }

    public Claim build() {
      return new Claim(id, date, type, hospitalCity, settledByBasicInsurance, outOfAreaFiled, costs, drug, pharmacy,
          qualifiedPrescription, criticalIllnessPkuActive, hospitalGrade, institution, preexistingRelated, excludedCause,
          items);
    }
  }
}
