package io.hmb.bench;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.hmb.api.v1.Role;
import io.hmb.client.GatewayNodes;
import io.hmb.client.NodeCalls;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.db.DataDirLock;
import io.hmb.gateway.db.EmbeddedDatabase;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.tls.GatewayTls;
import io.hmb.security.tls.MutualTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Two gateway nodes in this JVM on one PostgreSQL: the embedded server with the gateway's own durable
 * settings, which both reach by JDBC URL as they would an external one. Node B gets node A's CA and
 * server certificate. The participants are BenchRig's. Clients reach node A
 * alone ({@link #oneNode}) or both nodes by grpc-java's round_robin ({@link #twoNodes}); node B runs
 * throughout, so the only difference between the two is where the clients' calls go.
 */
final class TwoNodeRig implements AutoCloseable {
  /** The name on the nodes' shared certificate, which TLS checks on the round-robin channels. */
  private static final String AUTHORITY = "localhost";

  final Gateway nodeA;
  final Gateway nodeB;
  private final Path postgresDataDir;
  private final List<AutoCloseable> resources;
  private final Party bureau;
  private final Party lead;
  private final Party coInsurer;
  private final ManagedChannel bureauRoundRobin;
  private final ManagedChannel coInsurerRoundRobin;
  private final ManagedChannel coInsurerOnB;
  final NodeCalls callsPerNode;

  private TwoNodeRig(Starting s) {
    this.nodeA = s.nodeA;
    this.nodeB = s.nodeB;
    this.postgresDataDir = s.postgresDataDir;
    this.resources = s.resources;
    this.bureau = s.bureau;
    this.lead = s.lead;
    this.coInsurer = s.coInsurer;
    this.bureauRoundRobin = s.bureauRoundRobin;
    this.coInsurerRoundRobin = s.coInsurerRoundRobin;
    this.coInsurerOnB = s.coInsurerOnB;
    this.callsPerNode = s.callsPerNode;
  }

  /** What has started so far, closed in reverse if a later step fails. */
  private static final class Starting {
    final List<AutoCloseable> resources = new ArrayList<>();
    Path postgresDataDir;
    Gateway nodeA;
    Gateway nodeB;
    Party bureau;
    Party lead;
    Party coInsurer;
    ManagedChannel bureauRoundRobin;
    ManagedChannel coInsurerRoundRobin;
    ManagedChannel coInsurerOnB;
    final NodeCalls callsPerNode = new NodeCalls();

    <T extends AutoCloseable> T keep(T resource) {
      resources.add(resource);
      return resource;
    }

    ManagedChannel keep(ManagedChannel channel) {
      resources.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
      return channel;
    }
  }

  static TwoNodeRig start(Path dataDir) throws Exception {
    Starting s = new Starting();
    try {
      DataDirLock lock = DataDirLock.tryAcquire(dataDir).orElseThrow(() ->
          new IllegalStateException("another process uses " + dataDir + "; pass another --data-dir"));
      s.postgresDataDir = dataDir.resolve("postgres");
      EmbeddedDatabase database = s.keep(EmbeddedDatabase.start(s.postgresDataDir, lock));
      s.nodeA = s.keep(Gateway.start(nodeConfig(dataDir.resolve("node-a"), database), Clock.systemUTC()));
      s.bureau = s.keep(Party.register(s.nodeA, "BUREAU-" + Messages.CITY, Role.ROLE_BUREAU, Messages.CITY));
      s.lead = s.keep(Party.register(s.nodeA, "INSURER-LEAD-" + Messages.CITY, Role.ROLE_INSURER, Messages.CITY));
      s.coInsurer = s.keep(Party.register(s.nodeA, "INSURER-CO-" + Messages.CITY, Role.ROLE_INSURER, Messages.CITY));
      var registry = s.nodeA.registry().registry();
      registry.addProduct(new Product(Messages.PRODUCT, Messages.CITY, s.lead.code, LocalDate.now().minusMonths(1),
          LocalDate.now().plusMonths(11), List.of(new Product.Member(s.lead.code, 7000),
              new Product.Member(s.coInsurer.code, 3000))));
      SimulatedInsurer insurer = s.keep(new SimulatedInsurer(s.lead, s.bureau, s.nodeA.tls().trustBundle()));
      registry.setEndpoint(s.lead.code, insurer.address());
      s.nodeA.registry().invalidate();

      copyTls(dataDir.resolve("node-a"), dataDir.resolve("node-b"));
      s.nodeB = s.keep(Gateway.start(nodeConfig(dataDir.resolve("node-b"), database), Clock.systemUTC()));
      List<InetSocketAddress> nodes = List.of(new InetSocketAddress("127.0.0.1", s.nodeA.port()),
          new InetSocketAddress("127.0.0.1", s.nodeB.port()));
      // Only the bureau's calls are counted per node: they are the load being spread.
      s.bureauRoundRobin = s.keep(roundRobin(s.bureau, nodes, s).intercept(s.callsPerNode).build());
      s.coInsurerRoundRobin = s.keep(roundRobin(s.coInsurer, nodes, s).build());
      s.coInsurerOnB = s.keep(Grpc.newChannelBuilder("127.0.0.1:" + s.nodeB.port(), credentials(s.coInsurer, s)).build());
      return new TwoNodeRig(s);
    } catch (Exception | Error e) {
      closeAll(s.resources);
      throw e;
    }
  }

  private static GatewayConfig nodeConfig(Path nodeDir, EmbeddedDatabase database) {
    return new GatewayConfig().listenAddress("127.0.0.1").port(0).metricsPort(-1).dataDir(nodeDir)
        .jdbcUrl(database.jdbcUrl()).jdbcUser(database.user())
        .rateLimit(BenchRig.RATE_LIMIT_PER_SECOND, BenchRig.RATE_LIMIT_BURST);
  }

  private static ManagedChannelBuilder<?> roundRobin(Party party, List<InetSocketAddress> nodes, Starting s)
      throws Exception {
    return GatewayNodes.channelBuilder(AUTHORITY, nodes, credentials(party, s));
  }

  private static ChannelCredentials credentials(Party party, Starting s) throws Exception {
    return MutualTls.client(party.tls, s.nodeA.tls().trustBundle());
  }

  /**
   * Node A's CA and server certificate for node B, as an operator copies them; node B issues its own
   * client certificate from that CA when it starts.
   */
  private static void copyTls(Path fromNodeDir, Path toNodeDir) throws IOException {
    Path to = toNodeDir.resolve("tls");
    Files.createDirectories(to);
    for (String file : List.of("ca.crt", "ca.key", GatewayTls.SERVER_NAME + ".crt", GatewayTls.SERVER_NAME + ".key")) {
      Files.copy(fromNodeDir.resolve("tls").resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The bureau calling node A only; the co-insurer's inbox stream on node A. Started; close the inbox after. */
  Clients oneNode() {
    InboxSubscriber inbox = new InboxSubscriber(coInsurer);
    inbox.start();
    return new Clients(bureau, lead, coInsurer, inbox);
  }

  /**
   * The bureau calling both nodes by round robin; the co-insurer with an inbox stream on each node and
   * acknowledging over round robin. Started; close the inbox after.
   */
  Clients twoNodes() {
    InboxSubscriber inbox = new InboxSubscriber(coInsurer.overChannel(coInsurerRoundRobin),
        List.of(coInsurer.channel, coInsurerOnB));
    inbox.start();
    return new Clients(bureau.overChannel(bureauRoundRobin), lead, coInsurer, inbox);
  }

  Path postgresDataDir() {
    return postgresDataDir;
  }

  Map<String, String> databaseSettings() {
    return BenchRig.databaseSettings(nodeA);
  }

  @Override
  public void close() {
    closeAll(resources);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        // keep closing the rest: the database must stop regardless
      }
    }
  }
}
