package io.hmb.adapters.enrolment;

import io.hmb.adapters.engine.Scheme;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;

/**
 * The person to be insured, as the bureau and the insurer know them at enrolment.
 *
 * @param insuredCity admdvs of the city where the person holds basic insurance (null when not insured)
 * @param veteranJoinDate the day a veteran (退役军人) joins, where the product lets veterans join late; else null
 * @param enrolledProducts codes of products the person already holds (any year); the rules compare
 *     exclusive groups, so holding another year's product does not block
 */
public record Applicant(LocalDate birthDate, String insuredCity, Scheme scheme, BasicStatus basicStatus,
    LocalDate veteranJoinDate, Set<String> enrolledProducts) {

  public Applicant {
    Objects.requireNonNull(birthDate, "birthDate");
    Objects.requireNonNull(basicStatus, "basicStatus");
    enrolledProducts = enrolledProducts == null ? Set.of() : Set.copyOf(enrolledProducts);
  }

  public static Applicant insured(LocalDate birthDate, String insuredCity, Scheme scheme) {
    return new Applicant(birthDate, insuredCity, scheme, BasicStatus.ACTIVE, null, Set.of());
  }

  public Applicant holding(String... productCodes) {
    return new Applicant(birthDate, insuredCity, scheme, basicStatus, veteranJoinDate, Set.of(productCodes));
  }

  public Applicant withStatus(BasicStatus status) {
    return new Applicant(birthDate, insuredCity, scheme, status, veteranJoinDate, enrolledProducts);
  }

  public Applicant veteranJoining(LocalDate day) {
    return new Applicant(birthDate, insuredCity, scheme, basicStatus, day, enrolledProducts);
  }
}
