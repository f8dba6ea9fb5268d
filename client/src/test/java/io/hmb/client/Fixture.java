package io.hmb.client;

import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.Role;
import io.hmb.security.PrivateKeyHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Dalian's participants behind a {@link FakeGateway}: a hospital, the bureau, the lead insurer of
 * dalian-2025-upgrade and a co-insurer, each with an SM2 key in the directory. Released after each test.
 */
abstract class Fixture {
  static final String DALIAN = "210200";
  static final String PRODUCT = "dalian-2025-upgrade";
  static final String HOSPITAL = "HOSPITAL-210200-01";
  static final String BUREAU = "BUREAU-210200";
  static final String LEAD = "INSURER-LEAD-210200";
  static final String CO = "INSURER-CO-210200";
  /** A made-up identity number: it must never appear in an exception message or log. */
  static final String CERT_NUMBER = "210202198001011234";

  static final PrivateKeyHandle HOSPITAL_KEY = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
  static final PrivateKeyHandle BUREAU_KEY = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
  static final PrivateKeyHandle LEAD_KEY = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
  static final PrivateKeyHandle CO_KEY = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);

  FakeGateway gateway;
  /** Waits the retry loop asked for, instead of sleeping. */
  final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startGateway() throws Exception {
    gateway = new FakeGateway();
    gateway.register(HOSPITAL, Role.ROLE_HOSPITAL, DALIAN, HOSPITAL_KEY.publicKey());
    gateway.register(BUREAU, Role.ROLE_BUREAU, DALIAN, BUREAU_KEY.publicKey());
    gateway.register(LEAD, Role.ROLE_INSURER, DALIAN, LEAD_KEY.publicKey());
    gateway.register(CO, Role.ROLE_INSURER, DALIAN, CO_KEY.publicKey());
    gateway.addProduct(PRODUCT, DALIAN, LEAD);
  }

  @AfterEach
  void release() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    gateway.close();
  }

  <T extends AutoCloseable> T closeAfter(T c) {
    toClose.add(0, c);
    return c;
  }

  GatewayClient.Builder clientBuilder(String code, PrivateKeyHandle key) {
    return GatewayClient.builder(code).channel(gateway.channel()).signingKey(key)
        .defaultDeadline(Duration.ofSeconds(5)).sleeper(waits::add);
  }

  GatewayClient client(String code, PrivateKeyHandle key) {
    return clientBuilder(code, key).build();
  }

  GatewayClient client(String code, PrivateKeyHandle key, Clock clock) {
    return clientBuilder(code, key).clock(clock).build();
  }

  static CoverageQuery coverageQuery() {
    return CoverageQuery.newBuilder().setPerson(Person.newBuilder().setCertType("01").setCertNumber(CERT_NUMBER)
        .setName("张三")).setMoment(CoverageQuery.Moment.MOMENT_ADMISSION).build();
  }
}
