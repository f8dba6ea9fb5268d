package io.hmb.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.TrustBundle;
import io.hmb.testing.Await;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway presents the operator's client certificate ({@code tlsClientCertificate}) to participants'
 * endpoints: an endpoint that admits only certificates of the bureau's CA gets its settlement pushed. A
 * client certificate without clientAuth is refused at start, as endpoints would refuse it.
 */
class OwnClientCertificateEndToEndTest {
  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();

  @Test
  void endpointsThatTrustOnlyTheBureausCaGetTheirPushes() throws Exception {
    DevCertificateAuthority bureauCa = DevCertificateAuthority.create("bureau gateway-client CA", clock);
    bureauCa.issueGatewayClient(Duration.ofDays(30)).writeTo(dir, "client");
    Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dir.resolve("data"))
        .tlsClientCertificate(dir.resolve("client.crt")).tlsClientPrivateKey(dir.resolve("client.key")), clock);
    try (gateway) {
      TestParty lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
      TestParty bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
      // The endpoint admits only the bureau CA's gateway client certificate, not the development CA's.
      TestEndpoint insurer = new TestEndpoint(lead, TrustBundle.of(bureauCa.certificate()));
      gateway.admin().setEndpoint(lead.code, Optional.of(insurer.address()));
      gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code,
          LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
      insurer.start();
      try {
        String id = SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, "210200")
                .setIdempotencyKey("own-client-1"), SettlementData.newBuilder().setSettlementId("s1").build(), lead))
            .getMessageId();
        Await.until("the settlement pushed to the endpoint", Duration.ofSeconds(30), () -> insurer.processed.contains(id));
      } finally {
        insurer.close();
        lead.close();
        bureau.close();
      }
    }
  }

  @Test
  void aClientCertificateEndpointsWouldRefuseIsRefusedAtStart() throws Exception {
    DevCertificateAuthority bureauCa = DevCertificateAuthority.create("bureau CA", clock);
    bureauCa.issueGatewayServer(List.of("gateway.hmb.test"), Duration.ofDays(30)).writeTo(dir, "client");
    GatewayConfig config = new GatewayConfig().port(0).metricsPort(-1).dataDir(dir.resolve("data"))
        .tlsClientCertificate(dir.resolve("client.crt")).tlsClientPrivateKey(dir.resolve("client.key"));
    assertThatThrownBy(() -> Gateway.start(config, clock)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tlsClientCertificate " + dir.resolve("client.crt"))
        .hasMessageContaining("clientAuth");
    assertThat(dir.resolve("data")).doesNotExist();
  }
}
