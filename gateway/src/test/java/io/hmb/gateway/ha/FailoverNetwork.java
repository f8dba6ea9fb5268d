package io.hmb.gateway.ha;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.delivery.DeliveryPolicy;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.gateway.tls.GatewayTls;
import io.hmb.security.tls.MutualTls;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Two gateway nodes on one replicated PostgreSQL (the multi-host URL asking for the primary), a bureau with a
 * channel to each node, and a lead insurer's endpoint that takes pushed settlements and answers coverage
 * checks: the network the failover tests run traffic through.
 */
final class FailoverNetwork implements AutoCloseable {
  static final String CITY = "210200";
  /** Quick retries so a failover's backlog drains within the test; leases short enough for a node's death. */
  private static final DeliveryPolicy DELIVERY = new DeliveryPolicy(100, Duration.ofMillis(50), Duration.ofMillis(500),
      Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(50), 20);

  final List<Gateway> nodes = new ArrayList<>();
  final TestParty bureau;
  final TestParty lead;
  final TestEndpoint insurer;
  /** The bureau's channel to each node, in node order. */
  final List<ManagedChannel> bureauChannels = new ArrayList<>();

  FailoverNetwork(ReplicatedPostgres postgres, List<Path> nodeDirs, Duration socketTimeout) throws Exception {
    for (int i = 0; i < nodeDirs.size(); i++) {
      if (i > 0) {
        // One CA and one audit log key for the cluster, as an operator copies them (docs/scaling.md).
        GatewayTls.copyClusterMaterial(nodeDirs.get(0), nodeDirs.get(i), Clock.systemUTC());
      }
      nodes.add(Gateway.start(config(postgres, nodeDirs.get(i), socketTimeout), Clock.systemUTC()));
    }
    Gateway first = nodes.get(0);
    lead = TestParty.register(first, "INSURER-LEAD-" + CITY, Role.ROLE_INSURER, CITY, Optional.empty());
    bureau = TestParty.register(first, "BUREAU-" + CITY, Role.ROLE_BUREAU, CITY, Optional.empty());
    insurer = new TestEndpoint(lead, first);
    insurer.onExchange(request -> {
      try {
        var opened = lead.open(request, bureau, CoverageQuery.parser());
        return lead.seal(lead.header(MessageType.MESSAGE_TYPE_COVERAGE_DECISION, bureau, CITY)
            .setCorrelationId(opened.header().messageId()), CoverageDecision.newBuilder().setCovered(true).build(), bureau);
      } catch (Exception e) {
        throw Status.INTERNAL.withDescription(e.toString()).asRuntimeException();
      }
    });
    first.admin().setEndpoint(lead.code, Optional.of(insurer.address()));
    first.admin().addProduct(new Product("dalian-2025-basic", CITY, lead.code, LocalDate.of(2025, 11, 1),
        LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
    insurer.start();
    for (Gateway node : nodes) {
      bureauChannels.add(Grpc.newChannelBuilder("localhost:" + node.port(),
          MutualTls.toGateway(bureau.tls, first.admin().trustBundle())).build());
    }
  }

  static GatewayConfig config(ReplicatedPostgres postgres, Path dataDir, Duration socketTimeout) {
    return new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir)
        .jdbcUrl(postgres.jdbcUrl()).jdbcUser(ReplicatedPostgres.APP).jdbcPassword(postgres.appPassword)
        .jdbcOwner(ReplicatedPostgres.OWNER, postgres.ownerPassword).dbSocketTimeout(socketTimeout)
        .deliveryPolicy(DELIVERY).shutdownGrace(Duration.ofSeconds(2));
  }

  @Override
  public void close() throws Exception {
    for (ManagedChannel c : bureauChannels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    insurer.close();
    bureau.close();
    lead.close();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }
}
