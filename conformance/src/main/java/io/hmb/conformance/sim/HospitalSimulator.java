package io.hmb.conformance.sim;

import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.client.HospitalClient;
import io.hmb.client.RecipientEndpoint;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference designated hospital (定点医疗机构): asks the lead insurer about coverage at admission
 * and, at discharge, has the stay settled one-stop (through the bureau, or by quoting itself), and
 * receives claim results. Thread-safe.
 */
public final class HospitalSimulator {
  private static final Logger log = LoggerFactory.getLogger(HospitalSimulator.class);
  static final Duration COVERAGE_DEADLINE = Duration.ofSeconds(5);

  private final GatewayConnection connection;
  private final CityProfile city;
  private final BusinessDay day;
  private final DischargeSettler settler;
  private final HospitalClient hospital;
  private final RecipientEndpoint endpoint;
  private final Map<String, CoverageDecision> admitted = new HashMap<>();
  private final Map<String, ClaimResult> claimResults = new LinkedHashMap<>();

  private HospitalSimulator(GatewayConnection connection, CityProfile city, BusinessDay day, DischargeSettler settler) {
    this.connection = connection;
    this.city = city;
    this.day = day;
    this.settler = settler;
    this.hospital = new HospitalClient(connection.client()).withDeadline(COVERAGE_DEADLINE);
    this.endpoint = RecipientEndpoint.builder(connection.client()).onClaimResult((r, ctx) -> {
      synchronized (claimResults) {
        claimResults.put(r.getClaimNumber(), r);
      }
      log.info("claim result from={} claim={} outcome={} payoutFen={}", ctx.sender(), r.getClaimNumber(), r.getOutcome(),
          r.getPayoutFen());
    }).build();
  }

  /**
   * @param settler who settles discharges: {@link DischargeSettler#through(BureauSimulator)} in-process,
   *     or a {@link SelfQuotingSettler}
   */
  public static HospitalSimulator create(GatewayConnection connection, String city, BusinessDay day, DischargeSettler settler) {
    return new HospitalSimulator(Objects.requireNonNull(connection), CityProfile.of(city), Objects.requireNonNull(day),
        Objects.requireNonNull(settler));
  }

  /** The RecipientService for claim results (serve it if the gateway should push them to this hospital). */
  public RecipientEndpoint endpoint() {
    return endpoint;
  }

  /** Admission: asks the lead insurer of {@code productCode} whether the patient is covered today. */
  public CoverageDecision admit(Resident patient, String productCode) {
    CoverageQuery q = CoverageQuery.newBuilder().setPerson(patient.toPerson()).setDate(ProtoDates.date(day.today()))
        .setMoment(CoverageQuery.Moment.MOMENT_ADMISSION).setHospitalCode(connection.code())
        .setTreatmentAdmdvs(city.admdvs()).build();
    CoverageDecision d = hospital.checkCoverage(productCode, q).payload();
    synchronized (admitted) {
      admitted.put(patient.certNumber(), d);
    }
    log.info("admission coverage product={} covered={} plan={}", productCode, d.getCovered(), d.getProductCode());
    return d;
  }

  /** Discharge: the stay is settled (one-stop where it applies); the patient pays {@code patientPaysFen}. */
  public BillSettlement discharge(Resident patient, Bill bill) {
    Optional<CoverageDecision> admission;
    synchronized (admitted) {
      admission = Optional.ofNullable(admitted.remove(patient.certNumber()));
    }
    BillSettlement s = settler.settle(patient, bill, admission);
    log.info("discharged {}", s);
    return s;
  }

  /** An inpatient bill of this hospital, for a stay ending today. */
  public Bill bill(int days, long inScopeFen, long classBPriorSelfpayFen, long outOfCatalogueFen) {
    return Bill.inpatient(connection.code(), city.admdvs(), day.today().minusDays(days), day.today(), inScopeFen,
        classBPriorSelfpayFen, outOfCatalogueFen);
  }

  public String code() {
    return connection.code();
  }

  public Map<String, ClaimResult> claimResults() {
    synchronized (claimResults) {
      return Map.copyOf(claimResults);
    }
  }
}
