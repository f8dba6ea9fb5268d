package io.hmb.adapters.mapping;

import io.hmb.adapters.engine.ClaimType;
import java.time.LocalDate;

/**
 * What a settlement result needs beside its setlinfo fields.
 *
 * @param treatmentAdmdvs where the care happened (the envelope's mdtrtarea_admvs)
 * @param insuredAdmdvs where the person is insured (insuplc_admdvs)
 * @param outOfAreaFiled whether an out-of-area stay was filed (异地就医备案)
 * @param excludedFen product-excluded items found on the insurer's review (robot surgery, ...), taken out
 *     of the out-of-catalogue self-pay; 0 when none
 * @param careType the care type when the bureau states it (day ward, PKU food, heavy-ion, special-effect
 *     drug); null to derive it from clr_type through the product's mapping
 * @param policyStart the policy's own start day, for products whose period runs from enrolment; else null
 */
public record MappingContext(String treatmentAdmdvs, String insuredAdmdvs, boolean outOfAreaFiled, long excludedFen,
    ClaimType careType, LocalDate policyStart) {

  public static MappingContext of(String treatmentAdmdvs, String insuredAdmdvs) {
    return new MappingContext(treatmentAdmdvs, insuredAdmdvs, false, 0, null, null);
  }
}
