package io.hmb.gateway.demo;

import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.Role;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.ParticipantKey;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.registry.Registry;
import io.hmb.gateway.registry.RegistrySnapshot;
import io.hmb.gateway.tls.GatewayTls;
import io.hmb.security.InsecureSecretAccess;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.tls.DevCertificateAuthority;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds a demo: for Dalian, Wuwei and Liaocheng one bureau, two hospitals, a lead insurer and a
 * co-insurer, and the cities' products. Each participant's SM2 signing key and TLS certificate are
 * written to {@code dataDir/demo/CODE/} so the simulators and the conformance suite can act as them.
 * Idempotent: what exists is kept. Demo shares (lead 70%, co-insurer 30%) are illustrative, not from
 * the seeds.
 */
public final class DemoSetup {
  private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);

  /** A demo city: admdvs, name, and its products with their policy years. */
  record City(String admdvs, String name, List<String> products, LocalDate termStart, LocalDate termEnd) {}

  static final List<City> CITIES = List.of(
      new City("210200", "Dalian", List.of("dalian-2025-basic", "dalian-2025-upgrade"),
          LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31)),
      new City("620600", "Wuwei", List.of("wuwei-2025-basic", "wuwei-2025-upgrade"),
          LocalDate.of(2025, 1, 1), LocalDate.of(2025, 12, 31)),
      new City("371500", "Liaocheng", List.of("liaocheng-2024"),
          LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)));

  private DemoSetup() {}

  /** Codes of the demo participants of a city, in a fixed order. */
  public static List<String> participantCodes(String admdvs) {
    return List.of("BUREAU-" + admdvs, "HOSPITAL-" + admdvs + "-01", "HOSPITAL-" + admdvs + "-02",
        "INSURER-LEAD-" + admdvs, "INSURER-CO-" + admdvs);
  }

  public static void seed(Registry registry, GatewayTls tls, Path dataDir) throws SQLException, IOException,
      GeneralSecurityException {
    RegistrySnapshot existing = registry.load();
    Path demoDir = dataDir.resolve("demo");
    Files.createDirectories(demoDir);
    Files.copy(tls.directory().resolve("ca.crt"), demoDir.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    int added = 0;
    for (City city : CITIES) {
      List<String> codes = participantCodes(city.admdvs());
      Role[] roles = {Role.ROLE_BUREAU, Role.ROLE_HOSPITAL, Role.ROLE_HOSPITAL, Role.ROLE_INSURER, Role.ROLE_INSURER};
      for (int i = 0; i < codes.size(); i++) {
        if (existing.participant(codes.get(i)).isPresent()) {
          continue;
        }
        addParticipant(registry, tls, demoDir, codes.get(i), roles[i], city);
        added++;
      }
      for (String product : city.products()) {
        if (existing.product(product).isEmpty()) {
          registry.addProduct(new Product(product, city.admdvs(), codes.get(3), city.termStart(), city.termEnd(),
              List.of(new Product.Member(codes.get(3), 7000), new Product.Member(codes.get(4), 3000))));
        }
      }
    }
    int fixtures = ConformanceFixtures.seed(registry, tls, demoDir, existing);
    log.info("demo setup ready participantsAdded={} conformanceFixturesAdded={} keysDir={}", added, fixtures,
        demoDir.toAbsolutePath());
  }

  private static void addParticipant(Registry registry, GatewayTls tls, Path demoDir, String code, Role role, City city)
      throws SQLException, IOException, GeneralSecurityException {
    Path dir = demoDir.resolve(code);
    Files.createDirectories(dir);
    PrivateKeyHandle key = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
    DevCertificateAuthority.Pem.writeSecret(dir.resolve("signing.key"), key.toPem(InsecureSecretAccess.get()));
    Files.writeString(dir.resolve("signing.pub"), key.publicKey().toPem(), StandardCharsets.US_ASCII);
    tls.authority().issueParticipant(code, DevCertificateAuthority.DEFAULT_VALIDITY).writeTo(dir, "tls");
    registry.addParticipant(new Participant(code, role, city.admdvs(), city.name() + " " + roleLabel(role),
        Participant.Status.ACTIVE, Optional.empty()));
    Instant now = Instant.now();
    registry.addKey(new ParticipantKey(code, key.keyId(), key.suite(), key.publicKey().toSpkiDer(),
        now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(730)), ParticipantKey.Status.ENABLED, true));
  }

  private static String roleLabel(Role role) {
    return role.name().substring("ROLE_".length()).toLowerCase(java.util.Locale.ROOT);
  }

}
