package io.hmb.bench;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.hmb.client.GatewayNodes;
import io.hmb.client.NodeCalls;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.db.DataDirLock;
import io.hmb.gateway.db.EmbeddedDatabase;
import io.hmb.gateway.tls.GatewayTls;
import io.hmb.security.tls.MutualTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Two gateway nodes in this JVM on one PostgreSQL: the embedded server with the gateway's own durable
 * settings, which both reach by JDBC URL as they would an external one. Node B gets node A's CA and
 * server certificate. The participants are the full bench's ({@link Participants}). Clients reach node A
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
    this.bureau = s.participants.bureau();
    this.lead = s.participants.lead();
    this.coInsurer = s.participants.coInsurer();
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
    Participants participants;
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

  /** With {@code asyncCommitForQuestions}, both nodes run as {@code serve --async-commit-for-questions}. */
  static TwoNodeRig start(Path dataDir, boolean asyncCommitForQuestions) throws Exception {
    Starting s = new Starting();
    try {
      s.postgresDataDir = dataDir.resolve("postgres");
      EmbeddedDatabase database = s.keep(startDatabase(dataDir, s.postgresDataDir));
      Path nodeADir = dataDir.resolve("node-a");
      Path nodeBDir = dataDir.resolve("node-b");
      s.nodeA = s.keep(Gateway.start(nodeConfig(nodeADir, database, asyncCommitForQuestions), Clock.systemUTC()));
      s.participants = s.keep(Participants.register(s.nodeA));
      GatewayTls.copyClusterMaterial(nodeADir, nodeBDir, Clock.systemUTC());
      s.nodeB = s.keep(Gateway.start(nodeConfig(nodeBDir, database, asyncCommitForQuestions), Clock.systemUTC()));
      List<InetSocketAddress> nodes = List.of(new InetSocketAddress("127.0.0.1", s.nodeA.port()),
          new InetSocketAddress("127.0.0.1", s.nodeB.port()));
      Party bureau = s.participants.bureau();
      Party coInsurer = s.participants.coInsurer();
      // Only the bureau's calls are counted per node: they are the load being spread.
      s.bureauRoundRobin = s.keep(roundRobin(bureau, nodes, s).intercept(s.callsPerNode).build());
      s.coInsurerRoundRobin = s.keep(roundRobin(coInsurer, nodes, s).build());
      s.coInsurerOnB = s.keep(Grpc.newChannelBuilder("127.0.0.1:" + s.nodeB.port(), credentials(coInsurer, s)).build());
      return new TwoNodeRig(s);
    } catch (Exception | Error e) {
      closeAll(s.resources);
      throw e;
    }
  }

  /** The embedded PostgreSQL, which holds the data directory's lock from then on; released if it fails to start. */
  private static EmbeddedDatabase startDatabase(Path dataDir, Path postgresDataDir) throws IOException {
    DataDirLock lock = DataDirLock.tryAcquire(dataDir).orElseThrow(() ->
        new IllegalStateException("another process uses " + dataDir + "; pass another --data-dir"));
    try {
      return EmbeddedDatabase.start(postgresDataDir, lock);
    } catch (IOException | RuntimeException | Error e) {
      try {
        lock.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static GatewayConfig nodeConfig(Path nodeDir, EmbeddedDatabase database, boolean asyncCommitForQuestions) {
    return new GatewayConfig().listenAddress("127.0.0.1").port(0).metricsPort(-1).dataDir(nodeDir)
        .jdbcUrl(database.jdbcUrl()).jdbcUser(database.appUser()).jdbcPassword(database.appPassword())
        .jdbcOwner(database.user(), database.password())
        .rateLimit(BenchRig.RATE_LIMIT_PER_SECOND, BenchRig.RATE_LIMIT_BURST)
        .maxPassThroughInFlight(BenchRig.PASS_THROUGH_IN_FLIGHT, BenchRig.PASS_THROUGH_IN_FLIGHT)
        .asyncCommitForQuestions(asyncCommitForQuestions);
  }

  private static ManagedChannelBuilder<?> roundRobin(Party party, List<InetSocketAddress> nodes, Starting s)
      throws Exception {
    return GatewayNodes.channelBuilder(AUTHORITY, nodes, credentials(party, s));
  }

  private static ChannelCredentials credentials(Party party, Starting s) throws Exception {
    return MutualTls.toGateway(party.tls, s.nodeA.admin().trustBundle());
  }

  /** The bureau calling node A only; the co-insurer's inbox stream on node A. Started; close the inbox after. */
  Clients oneNode() {
    InboxSubscriber inbox = new InboxSubscriber(coInsurer, bureau);
    inbox.start();
    return new Clients(bureau, lead, coInsurer, inbox);
  }

  /**
   * The bureau calling both nodes by round robin; the co-insurer with an inbox stream on each node and
   * acknowledging over round robin. Started; close the inbox after.
   */
  Clients twoNodes() {
    InboxSubscriber inbox = new InboxSubscriber(coInsurer.overChannel(coInsurerRoundRobin), bureau,
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
