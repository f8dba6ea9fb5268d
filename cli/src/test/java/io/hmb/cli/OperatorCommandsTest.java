package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.cli.demo.DemoSetup;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator commands, by exit code and output, against a running gateway and a stopped one. */
class OperatorCommandsTest {
  @TempDir Path dataDir;

  record Run(int exit, String out, String err) {}

  Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void demoSeedAndOperatorCommandsWorkWhileTheGatewayRunsAndAfter() throws Exception {
    String dir = dataDir.toString();
    try (Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(0).dataDir(dataDir), Clock.systemUTC())) {
      DemoSetup.seed(gateway.admin(), dataDir);
      DemoSetup.seed(gateway.admin(), dataDir); // idempotent

      Run list = run(new ParticipantsCommand(), "list", "--data-dir", dir);
      assertThat(list.exit()).isZero();
      assertThat(list.out()).contains("BUREAU-210200", "INSURER-LEAD-371500", "20 participants");
      assertThat(list.out().lines().findFirst()).hasValueSatisfying(h -> assertThat(h).startsWith("CODE ")
          .contains("ROLE", "CITY", "STATUS", "ENDPOINT"));
      String json = run(new ParticipantsCommand(), "list", "--json", "--data-dir", dir).out().strip();
      assertThat(json).startsWith("[{").endsWith("}]").contains("{\"code\":\"BUREAU-210200\",\"role\":\"BUREAU\","
          + "\"city\":\"210200\",\"status\":\"ACTIVE\",\"endpoint\":null}").doesNotContain("participants");
      assertThat(run(new ProductsCommand(), "list", "--json", "--data-dir", dir).out())
          .contains("\"code\":\"wuwei-2025-basic\"", "\"members\":[{\"insurer\":\"INSURER-LEAD-620600\",\"share_bp\":7000}");
      assertThat(run(new ParticipantsCommand(), "show", "BUREAU-210200", "--json", "--data-dir", dir).out())
          .startsWith("{\"code\":\"BUREAU-210200\"").contains("\"keys\":[{\"key_id\":");
      assertThat(run(new OutboxCommand(), "dead-letters", "--json", "--data-dir", dir).out().strip()).isEqualTo("[]");
      assertThat(Files.exists(dataDir.resolve("demo/HOSPITAL-620600-01/signing.key"))).isTrue();
      assertThat(Files.exists(dataDir.resolve("demo/HOSPITAL-620600-01/tls.crt"))).isTrue();

      Run products = run(new ProductsCommand(), "list", "--data-dir", dir);
      assertThat(products.out()).contains("dalian-2025-upgrade", "liaocheng-2024", "5 products");
      assertThat(products.out()).startsWith("CODE ").contains("LEAD", "TERM_START", "MEMBERS");

      Run suspend = run(new ParticipantsCommand(), "suspend", "HOSPITAL-210200-02", "--data-dir", dir);
      assertThat(suspend.exit()).isZero();
      assertThat(run(new ParticipantsCommand(), "show", "HOSPITAL-210200-02", "--data-dir", dir).out())
          .contains("SUSPENDED").contains("KEY_ID", "PRIMARY");
      assertThat(run(new ParticipantsCommand(), "show", "NOBODY", "--data-dir", dir).exit()).isEqualTo(1);

      String keyId = gateway.admin().registry().keys("HOSPITAL-210200-02").get(0).keyId();
      assertThat(run(new ParticipantsCommand(), "revoke-key", "HOSPITAL-210200-02", "0".repeat(32), "--data-dir", dir)
          .exit()).isEqualTo(1);
      assertThat(run(new ParticipantsCommand(), "revoke-key", "HOSPITAL-210200-02", keyId, "--data-dir", dir).exit()).isZero();
      assertThat(gateway.admin().registry().keys("HOSPITAL-210200-02").get(0).status())
          .isEqualTo(io.hmb.gateway.registry.ParticipantKey.Status.REVOKED);
      assertThat(Files.exists(dataDir.resolve("demo/fixtures/FIXTURE-UNREGISTERED/tls.crt"))).isTrue();

      assertThat(run(new ParticipantsCommand(), "set-rate-limit", "HOSPITAL-210200-01", "--per-second", "5", "--burst", "10",
          "--data-dir", dir).exit()).isZero();
      assertThat(run(new ParticipantsCommand(), "show", "HOSPITAL-210200-01", "--data-dir", dir).out())
          .contains("rate-limit=5.0/s burst 10");
      assertThat(run(new ParticipantsCommand(), "set-rate-limit", "HOSPITAL-210200-01", "--per-second", "0", "--burst", "10",
          "--data-dir", dir).exit()).isEqualTo(2);
      assertThat(run(new ParticipantsCommand(), "set-rate-limit", "HOSPITAL-210200-01", "--default", "--data-dir", dir)
          .exit()).isZero();
      assertThat(run(new ParticipantsCommand(), "show", "HOSPITAL-210200-01", "--data-dir", dir).out())
          .contains("rate-limit=(gateway default)");

      assertThat(run(new ParticipantsCommand(), "set-endpoint", "INSURER-LEAD-210200", "localhost:9999", "--data-dir", dir)
          .exit()).isZero();
      assertThat(run(new ParticipantsCommand(), "list", "--data-dir", dir).out()).contains("localhost:9999");

      Run audit = run(new AuditCommand(), "verify", "--data-dir", dir);
      assertThat(audit.exit()).isZero();
      assertThat(audit.out()).startsWith("audit trail intact");

      assertThat(run(new OutboxCommand(), "dead-letters", "--data-dir", dir).out()).contains("0 dead-lettered");
      assertThat(run(new OutboxCommand(), "redrive", "--data-dir", dir).exit()).isEqualTo(2);
    }
    // Gateway stopped: the command starts the embedded database itself.
    Run after = run(new ParticipantsCommand(), "list", "--data-dir", dir);
    assertThat(after.exit()).isZero();
    assertThat(after.out()).contains("20 participants");
  }

  @Test
  void aCommandOnADirectoryServeNeverInitialisedIsRefusedAndCreatesNothing() throws Exception {
    Path typo = dataDir.resolve("dta");
    for (Object command : new Object[] {new AuditCommand(), new ParticipantsCommand(), new OutboxCommand()}) {
      String sub = command instanceof AuditCommand ? "verify" : command instanceof OutboxCommand ? "dead-letters" : "list";
      Run r = run(command, sub, "--data-dir", typo.toString());
      assertThat(r.exit()).as(sub).isEqualTo(2);
      assertThat(r.err()).contains("is not a gateway data directory").doesNotContain("Exception");
      assertThat(r.out()).doesNotContain("intact");
    }
    Run cert = run(new ParticipantsCommand(), "issue-cert", "BUREAU-210200", "--out", dataDir.resolve("out").toString(),
        "--data-dir", typo.toString());
    assertThat(cert.exit()).isEqualTo(2);
    assertThat(Files.exists(typo.resolve("tls"))).as("no CA made for a typo").isFalse();
    assertThat(Files.exists(typo.resolve("postgres"))).as("no database made for a typo").isFalse();
  }

  @Test
  void issueCertRefusesBadUnregisteredAndReservedCodesBeforeWritingAnything() throws Exception {
    String dir = dataDir.toString();
    Path out = dataDir.resolve("out");
    try (Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC())) {
      Run traversal = run(new ParticipantsCommand(), "issue-cert", "../../x", "--out", out.toString(), "--data-dir", dir);
      assertThat(traversal.exit()).isEqualTo(2);
      assertThat(traversal.err()).contains("not a participant code");
      Run newline = run(new ParticipantsCommand(), "issue-cert", "BUREAU\n210200", "--out", out.toString(), "--data-dir", dir);
      assertThat(newline.exit()).isEqualTo(2);
      Run unregistered = run(new ParticipantsCommand(), "issue-cert", "NOBODY-1", "--out", out.toString(), "--data-dir", dir);
      assertThat(unregistered.exit()).isEqualTo(1);
      assertThat(unregistered.err()).contains("no participant NOBODY-1");
      Run gatewaysOwn = run(new ParticipantsCommand(), "issue-cert", "GATEWAY", "--out", out.toString(), "--data-dir", dir);
      assertThat(gatewaysOwn.exit()).isEqualTo(1); // never registered: the registry refuses it first
      assertThat(Files.exists(out)).as("nothing written for a refused code").isFalse();
      assertThat(Files.exists(dataDir.getParent().resolve("x.crt"))).isFalse();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway.admin().issueTlsIdentity("GATEWAY"))
          .hasMessageContaining("the gateway's own identity");
    }
  }

  @Test
  void issueCertWritesAClientCertificateAndWithEndpointASeparateEndpointCertificate() throws Exception {
    String dir = dataDir.toString();
    Path out = dataDir.resolve("certs");
    try (Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC())) {
      gateway.admin().addParticipant(new io.hmb.gateway.registry.Participant("INSURER-CO-210200",
          io.hmb.api.v1.Role.ROLE_INSURER, "210200", "co-insurer", io.hmb.gateway.registry.Participant.Status.ACTIVE,
          java.util.Optional.empty()), io.hmb.security.PrivateKeyHandle.generate(
              io.hmb.api.v1.CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3).publicKey());
      Run client = run(new ParticipantsCommand(), "issue-cert", "INSURER-CO-210200", "--out", out.toString(),
          "--data-dir", dir);
      Run endpoint = run(new ParticipantsCommand(), "issue-cert", "INSURER-CO-210200", "--endpoint", "--name",
          "co.insurer.example", "--name", "10.0.0.9", "--out", out.toString(), "--data-dir", dir);
      Run nameWithoutEndpoint = run(new ParticipantsCommand(), "issue-cert", "INSURER-CO-210200", "--name", "x.example",
          "--out", out.toString(), "--data-dir", dir);

      assertThat(client.exit()).as(client.err()).isZero();
      assertThat(endpoint.exit()).as(endpoint.err()).isZero();
      assertThat(nameWithoutEndpoint.exit()).isEqualTo(2);
      assertThat(nameWithoutEndpoint.err()).contains("--name applies to endpoint certificates only");
      var clientCert = io.hmb.security.tls.TlsIdentity.load(out, "INSURER-CO-210200").certificate();
      var endpointCert = io.hmb.security.tls.TlsIdentity.load(out, "INSURER-CO-210200-endpoint").certificate();
      assertThat(io.hmb.security.tls.CertificateProfile.of(clientCert))
          .isEqualTo(io.hmb.security.tls.CertificateProfile.PARTICIPANT_CLIENT);
      assertThat(io.hmb.security.tls.CertificateProfile.of(endpointCert))
          .isEqualTo(io.hmb.security.tls.CertificateProfile.ENDPOINT_SERVER);
      assertThat(endpointCert.getSubjectAlternativeNames()).extracting(n -> String.valueOf(n.get(1)))
          .contains("urn:hmb:participant:INSURER-CO-210200", "co.insurer.example", "10.0.0.9");
      assertThat(Files.exists(out.resolve("ca.crt"))).isTrue();
    }
  }

  @Test
  void aSecondGatewayOnTheSameDataDirectoryIsRefused() throws Exception {
    try (Gateway first = Gateway.start(new GatewayConfig().port(0).metricsPort(0).dataDir(dataDir), Clock.systemUTC())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> Gateway.start(new GatewayConfig().port(0).metricsPort(0).dataDir(dataDir), Clock.systemUTC()))
          .hasMessageContaining("another gateway is running on data directory");
      assertThat(first.port()).isPositive();
    }
  }
}
