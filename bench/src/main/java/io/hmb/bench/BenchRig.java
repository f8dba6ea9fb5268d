package io.hmb.bench;

import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A real gateway on 127.0.0.1 (embedded PostgreSQL, TLS, port 0, metrics off, rate limit out of the
 * way) and its participants: the city's bureau (the caller), the lead insurer behind a simulated
 * RecipientService, a co-insurer pulling its inbox, and the product that ties them together.
 */
final class BenchRig implements AutoCloseable {
  /** Far above what one machine can offer: the bench measures the gateway, not its rate limiter. */
  static final double RATE_LIMIT_PER_SECOND = 1_000_000;
  static final int RATE_LIMIT_BURST = 1_000_000;
  /**
   * One bureau makes every call of the bench (up to --concurrency at once): far above the gateway's
   * per-sender default of in-flight pass-through calls, which is for many participants sharing a node.
   */
  static final int PASS_THROUGH_IN_FLIGHT = 10_000;

  final Gateway gateway;
  final Path dataDir;
  final Party bureau;
  final Party lead;
  final Party coInsurer;
  final InboxSubscriber inbox;
  private final Participants participants;

  private BenchRig(Gateway gateway, Path dataDir, Participants participants, InboxSubscriber inbox) {
    this.gateway = gateway;
    this.dataDir = dataDir;
    this.participants = participants;
    this.bureau = participants.bureau();
    this.lead = participants.lead();
    this.coInsurer = participants.coInsurer();
    this.inbox = inbox;
  }

  /**
   * With {@code asyncCommitForQuestions}, the gateway runs as {@code serve --async-commit-for-questions};
   * {@code groupCommit} off compares against each record committing alone (GatewayConfig.groupCommit).
   */
  static BenchRig start(Path dataDir, boolean asyncCommitForQuestions, boolean groupCommit) throws Exception {
    return start(dataDir, asyncCommitForQuestions, groupCommit, false);
  }

  /** With {@code pgStatements}, the embedded PostgreSQL loads pg_stat_statements (GatewayConfig.statementStatistics). */
  static BenchRig start(Path dataDir, boolean asyncCommitForQuestions, boolean groupCommit, boolean pgStatements)
      throws Exception {
    Gateway gateway = Gateway.start(new GatewayConfig()
        .listenAddress("127.0.0.1").port(0).metricsPort(-1).dataDir(dataDir)
        .rateLimit(RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST)
        .maxPassThroughInFlight(PASS_THROUGH_IN_FLIGHT, PASS_THROUGH_IN_FLIGHT)
        .asyncCommitForQuestions(asyncCommitForQuestions).groupCommit(groupCommit)
        .statementStatistics(pgStatements), Clock.systemUTC());
    Participants participants = null;
    try {
      participants = Participants.register(gateway);
      InboxSubscriber inbox = new InboxSubscriber(participants.coInsurer(), participants.bureau());
      inbox.start();
      return new BenchRig(gateway, dataDir, participants, inbox);
    } catch (Exception | Error e) {
      if (participants != null) {
        participants.close();
      }
      gateway.close();
      throw e;
    }
  }

  Clients clients() {
    return new Clients(bureau, lead, coInsurer, inbox);
  }

  Path postgresDataDir() {
    return dataDir.resolve("postgres");
  }

  /** Settings of the database that decide what "durable" means here (fsync, synchronous_commit). */
  Map<String, String> databaseSettings() {
    return databaseSettings(gateway);
  }

  static Map<String, String> databaseSettings(Gateway gateway) {
    try {
      return gateway.admin().databaseSettings();
    } catch (Exception e) {
      return Map.of("error", e.toString());
    }
  }

  @Override
  public void close() throws Exception {
    try {
      inbox.close();
    } catch (Exception e) {
      // keep closing the rest; the gateway must stop regardless
    }
    participants.close();
    gateway.close();
  }
}
