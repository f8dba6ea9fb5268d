package io.hmb.cli.demo;

import io.hmb.adapters.engine.EnrolmentTerms;
import io.hmb.adapters.engine.PolicyPeriod;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.Role;
import io.hmb.conformance.sim.CityProfile;
import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.registry.RegistrySnapshot;
import io.hmb.security.InsecureSecretAccess;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.tls.DevCertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds a demo: for Dalian, Wuwei and Liaocheng (the simulators' {@link CityProfile}s) one bureau, two
 * hospitals, a lead insurer and a co-insurer, and the cities' products with their city and policy
 * year from the adapters' product catalogue; then the conformance fixtures. Each participant's SM2
 * signing key and TLS certificate are written to {@code dataDir/demo/CODE/} so the simulators and the
 * conformance suite can act as them. Idempotent: what exists is kept. Demo shares (lead 70%,
 * co-insurer 30%) are illustrative, not from the seeds.
 */
public final class DemoSetup {
  private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);
  private static final int LEAD_SHARE_BP = 7000;
  private static final int CO_INSURER_SHARE_BP = 3000;
  /** {@code demo/conformance-gateway/}: a client certificate with the gateway's identity, for the endpoint-mode suite. */
  public static final String CONFORMANCE_GATEWAY = "conformance-gateway";

  private DemoSetup() {}

  public static void seed(GatewayAdmin admin, Path dataDir) throws SQLException, IOException, GeneralSecurityException {
    RegistrySnapshot existing = admin.registry();
    Path demoDir = dataDir.resolve("demo");
    Files.createDirectories(demoDir);
    Files.copy(admin.trustBundleFile(), demoDir.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
    if (Files.exists(admin.auditLogPublicKeyFile())) { // what participants pin to check the audit log
      Files.copy(admin.auditLogPublicKeyFile(), demoDir.resolve(admin.auditLogPublicKeyFile().getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
    }
    int added = 0;
    for (CityProfile city : CityProfile.all()) {
      for (DemoParticipant p : participants(city)) {
        if (existing.participant(p.code()).isEmpty()) {
          PrivateKeyHandle key = writeCredentials(admin, demoDir.resolve(p.code()), p.code());
          admin.addParticipant(new Participant(p.code(), p.role(), city.admdvs(),
              city.name() + " " + p.role().name().substring("ROLE_".length()).toLowerCase(Locale.ROOT),
              Participant.Status.ACTIVE, Optional.empty()), key.publicKey());
          added++;
        }
      }
      for (String code : city.products()) {
        if (existing.product(code).isEmpty()) {
          admin.addProduct(gatewayProduct(code, city));
        }
      }
    }
    int upgraded = 0;
    for (CityProfile city : CityProfile.all()) {
      for (DemoParticipant p : participants(city)) {
        upgraded += writeEndpointCredentialsIfMissing(admin, demoDir.resolve(p.code()), p.code());
      }
    }
    if (!Files.exists(demoDir.resolve(CONFORMANCE_GATEWAY).resolve("tls.crt"))) {
      // The endpoint-mode suite plays the gateway; only the demo hands out a certificate that can (docs/security.md).
      admin.issueGatewayClientIdentityForConformance().writeTo(demoDir.resolve(CONFORMANCE_GATEWAY), "tls");
    }
    int fixtures = ConformanceFixtures.seed(admin, demoDir, existing);
    log.info("demo setup ready participantsAdded={} endpointCertificatesAdded={} conformanceFixturesAdded={} keysDir={}",
        added, upgraded, fixtures, demoDir.toAbsolutePath());
  }

  private record DemoParticipant(String code, Role role) {}

  private static List<DemoParticipant> participants(CityProfile city) {
    return List.of(new DemoParticipant(city.bureau(), Role.ROLE_BUREAU),
        new DemoParticipant(city.hospital(1), Role.ROLE_HOSPITAL),
        new DemoParticipant(city.hospital(2), Role.ROLE_HOSPITAL),
        new DemoParticipant(city.leadInsurer(), Role.ROLE_INSURER),
        new DemoParticipant(city.coInsurer(), Role.ROLE_INSURER));
  }

  /** A product as the gateway registers it: the city and term the product file gives, the demo's co-insurance body. */
  static Product gatewayProduct(String code, CityProfile city) {
    io.hmb.adapters.engine.Product rules = ProductCatalog.shipped().get(code);
    if (!rules.cityAdmdvs().equals(city.admdvs())) {
      throw new IllegalStateException("product " + code + " belongs to " + rules.cityAdmdvs() + ", not " + city.admdvs());
    }
    PolicyPeriod period = rules.period().value();
    LocalDate start;
    LocalDate endExclusive;
    if (period.kind() == PolicyPeriod.Kind.FIXED) {
      start = period.start();
      endExclusive = period.endExclusive();
    } else {
      // Each policy runs from its own start (FROM_ENROLMENT) or within a calendar year: the term shown to
      // the gateway is then the first sales day's policy year. The gateway only records the term.
      start = rules.enrolment().map(EnrolmentTerms::salesWindow).map(w -> w.value().from())
          .orElseThrow(() -> new IllegalStateException("product " + code + " has no fixed period and no sales start"));
      endExclusive = period.kind() == PolicyPeriod.Kind.FROM_ENROLMENT ? start.plusMonths(period.months())
          : LocalDate.of(start.getYear() + 1, 1, 1);
    }
    return new Product(code, city.admdvs(), city.leadInsurer(), start, endExclusive.minusDays(1),
        List.of(new Product.Member(city.leadInsurer(), LEAD_SHARE_BP), new Product.Member(city.coInsurer(), CO_INSURER_SHARE_BP)));
  }

  /**
   * Writes a new SM2 signing key, a TLS client certificate ({@code tls.crt}) and an endpoint certificate
   * ({@code endpoint.crt}, localhost) for {@code code} to {@code dir}; returns the key.
   */
  static PrivateKeyHandle writeCredentials(GatewayAdmin admin, Path dir, String code)
      throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    PrivateKeyHandle key = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
    DevCertificateAuthority.Pem.writeSecret(dir.resolve("signing.key"), key.toPem(InsecureSecretAccess.get()));
    DevCertificateAuthority.Pem.write(dir.resolve("signing.pub"), key.publicKey().toPem());
    admin.issueTlsIdentity(code).writeTo(dir, "tls");
    admin.issueEndpointIdentity(code, List.of()).writeTo(dir, "endpoint");
    return key;
  }

  /**
   * A demo directory from before endpoint certificates: its participants' {@code tls.crt} (both EKUs) served
   * as their endpoint certificate, and still could; they get an {@code endpoint.crt} of their own. 1 if written.
   */
  static int writeEndpointCredentialsIfMissing(GatewayAdmin admin, Path dir, String code)
      throws IOException, GeneralSecurityException {
    if (!Files.exists(dir.resolve("signing.key")) || Files.exists(dir.resolve("endpoint.crt"))) {
      return 0;
    }
    admin.issueEndpointIdentity(code, List.of()).writeTo(dir, "endpoint");
    return 1;
  }
}
