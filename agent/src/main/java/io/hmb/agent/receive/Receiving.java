package io.hmb.agent.receive;

import com.google.protobuf.MessageLite;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.hmb.agent.AgentConfig;
import io.hmb.agent.AgentPart;
import io.hmb.agent.http.LocalApi;
import io.hmb.agent.store.DurableQueue;
import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.MessageType;
import io.hmb.client.GatewayClient;
import io.hmb.client.InboxSubscriber;
import io.hmb.client.MessageContext;
import io.hmb.client.PassThroughHandler;
import io.hmb.client.RecipientEndpoint;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's receiving side (docs/agent.md "Receiving"): takes this participant's messages from the gateway,
 * keeps each in STATE/inbound before the gateway hears it arrived, and hands it to the local system by webhook
 * or through the long-poll inbox; answers pass-through questions by asking the local system's answer URL.
 *
 * <ul>
 *   <li>receive INBOX: the SDK's {@link InboxSubscriber} on the participant's channel (nothing to expose);
 *   <li>receive ENDPOINT: the SDK's {@link RecipientEndpoint} on Netty at {@code endpointListen} with the
 *       participant's endpoint certificate ({@link MutualTls#endpointServer}: only the gateway gets in), which
 *       takes pushed deliveries and, with an answer URL, questions;
 *   <li>receive NONE: nothing arrives; what is still pending is handed over.
 * </ul>
 *
 * Every store-and-forward type has the one handler {@link Inbound#take}; pass-through types are registered only
 * with an answer URL, so without one the SDK answers NOT_IMPLEMENTED.
 */
public final class Receiving implements AgentPart {
  private static final Logger LOG = LoggerFactory.getLogger(Receiving.class);
  /** The part's subdirectory of the state directory. */
  public static final String INBOUND_DIR = "inbound";
  /** Threads serving the endpoint: a question to the answer URL holds one for its deadline. */
  static final int ENDPOINT_THREADS = 16;

  private final AgentConfig config;
  private final GatewayClient client;
  private final ServerCredentials endpointCredentials;
  private final Inbound inbound;
  private final InboxRoutes routes;
  private final WebhookDispatcher dispatcher;
  private final Answerer answerer;
  private InboxSubscriber subscriber;
  private Server endpoint;
  private ExecutorService endpointExecutor;

  private Receiving(AgentConfig config, GatewayClient client, ServerCredentials endpointCredentials,
      DurableQueue inbound, WebhookSecret secret) {
    this.config = config;
    this.client = client;
    this.endpointCredentials = endpointCredentials;
    this.inbound = new Inbound(inbound);
    SignedPost post = new SignedPost(secret, Clock.systemUTC());
    this.routes = new InboxRoutes(this.inbound, config.webhookUrl() != null);
    this.dispatcher = config.webhookUrl() == null ? null : new WebhookDispatcher(this.inbound, config.webhookUrl(), post);
    this.answerer = config.answerUrl() == null ? null : new Answerer(config.answerUrl(), post);
  }

  /**
   * The receiving part of {@code client}'s participant.
   *
   * @param config the agent's settings (receive, endpointListen, webhookUrl, answerUrl, stateDir)
   * @param client the participant's SDK client (its channel, keys and directory)
   * @param endpointCredentials the endpoint's server credentials when {@code receive} is ENDPOINT
   *     ({@link #endpointCredentials(AgentConfig)} loads them); null otherwise
   * @param inbound STATE/{@value #INBOUND_DIR}, opened; owned by the part once this returns (closed by {@link #close})
   * @throws IOException the webhook secret (STATE/webhook.secret) could not be made or read
   */
  public static Receiving create(AgentConfig config, GatewayClient client, ServerCredentials endpointCredentials,
      DurableQueue inbound) throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(inbound, "inbound");
    if (config.receive() == AgentConfig.Receive.ENDPOINT && endpointCredentials == null) {
      throw new IllegalArgumentException("receive=ENDPOINT needs the endpoint's server credentials");
    }
    WebhookSecret secret = WebhookSecret.loadOrCreate(config.stateDir().resolve(WebhookSecret.FILE));
    return new Receiving(config, client, endpointCredentials, inbound, secret);
  }

  /**
   * The endpoint's credentials from the participant's directory: {@code endpoint.crt}/{@code endpoint.key}
   * (its endpoint certificate, docs/security.md "Certificate profiles"), admitting only the gateway's client
   * certificate from {@code gatewayCa}.
   */
  public static ServerCredentials endpointCredentials(AgentConfig config) throws IOException, GeneralSecurityException {
    Path dir = config.keysDir();
    if (!Files.exists(dir.resolve("endpoint.crt"))) {
      throw new IOException(dir.resolve("endpoint.crt") + " does not exist: receive=ENDPOINT serves the participant's "
          + "endpoint certificate (ask the gateway operator for one, or receive from the inbox)");
    }
    return MutualTls.endpointServer(TlsIdentity.load(dir, "endpoint"), TrustBundle.load(config.gatewayCa()));
  }

  @Override
  public void addRoutes(LocalApi.Builder api) {
    routes.addTo(api);
  }

  @Override
  public synchronized void start() throws IOException {
    switch (config.receive()) {
      case INBOX -> {
        InboxSubscriber.Builder b = InboxSubscriber.builder(client);
        registerDeliveries(b, inbound::take);
        subscriber = b.build().start();
        LOG.info("receiving participant={} from its inbox", client.participant());
      }
      case ENDPOINT -> {
        RecipientEndpoint.Builder b = RecipientEndpoint.builder(client);
        registerDeliveries(b, inbound::take);
        if (answerer != null) {
          registerQuestions(b, this::answer);
        }
        endpointExecutor = Executors.newFixedThreadPool(ENDPOINT_THREADS, r -> {
          Thread t = new Thread(r, "hmb-agent-endpoint");
          t.setDaemon(true);
          return t;
        });
        endpoint = NettyServerBuilder.forAddress(config.endpointListen(), endpointCredentials)
            .executor(endpointExecutor).addService(b.build()).build().start();
        LOG.info("receiving participant={} on its endpoint {}:{} (answers {})", client.participant(),
            config.endpointListen().getHostString(), endpoint.getPort(), answerer == null ? "none" : "by answer URL");
      }
      case NONE -> LOG.info("receiving nothing (receive=NONE); {} received before still pending",
          inbound.pendingCount());
      default -> throw new IllegalStateException(config.receive().toString());
    }
    if (dispatcher != null) {
      dispatcher.start();
    }
  }

  /** Messages received and not yet taken by the local system (for health). */
  public int inboundPending() {
    return inbound.pendingCount();
  }

  @Override
  public void describeHealth(com.fasterxml.jackson.databind.node.ObjectNode health) {
    health.put("inboundPending", inboundPending());
  }

  /** The port the endpoint listens on (receive ENDPOINT, after start), for registering it; -1 otherwise. */
  public synchronized int endpointPort() {
    return endpoint == null ? -1 : endpoint.getPort();
  }

  @Override
  public synchronized void close() {
    if (subscriber != null) {
      subscriber.close();
    }
    if (endpoint != null) {
      endpoint.shutdown();
      try {
        if (!endpoint.awaitTermination(5, TimeUnit.SECONDS)) {
          endpoint.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        endpoint.shutdownNow();
        Thread.currentThread().interrupt();
      }
      endpointExecutor.shutdownNow();
    }
    if (dispatcher != null) {
      dispatcher.close();
    }
    inbound.close();
  }

  private MessageLite answer(MessageLite question, MessageContext context) throws InterruptedException {
    Duration left = context.deadline().map(d -> Duration.ofNanos(d.timeRemaining(TimeUnit.NANOSECONDS)))
        .orElse(config.callDeadline());
    return answerer.answer(ReceivedMessage.of(question, context), left);
  }

  /** The one delivery handler, for every store-and-forward type. */
  @FunctionalInterface
  interface Delivery {
    void take(MessageLite message, MessageContext context) throws Exception;
  }

  /** The one question handler, for every pass-through type. */
  @FunctionalInterface
  interface Question {
    MessageLite answer(MessageLite question, MessageContext context) throws Exception;
  }

  static Set<MessageType> registerDeliveries(InboxSubscriber.Builder b, Delivery h) {
    b.onSettlementData(h::take).onSettlementCancellation(h::take).onClaimResult(h::take)
        .onPolicyRegistration(h::take).onReconciliationReport(h::take);
    return EnumSet.of(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION,
        MessageType.MESSAGE_TYPE_CLAIM_RESULT, MessageType.MESSAGE_TYPE_POLICY_REGISTRATION,
        MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT);
  }

  static Set<MessageType> registerDeliveries(RecipientEndpoint.Builder b, Delivery h) {
    b.onSettlementData(h::take).onSettlementCancellation(h::take).onClaimResult(h::take)
        .onPolicyRegistration(h::take).onReconciliationReport(h::take);
    return EnumSet.of(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION,
        MessageType.MESSAGE_TYPE_CLAIM_RESULT, MessageType.MESSAGE_TYPE_POLICY_REGISTRATION,
        MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT);
  }

  static Set<MessageType> registerQuestions(RecipientEndpoint.Builder b, Question h) {
    b.onCoverageQuery(typed(h)).onInsuredStatusQuery(typed(h)).onDeductionRequest(typed(h))
        .onDeductionReversal(typed(h)).onBenefitQuoteRequest(typed(h));
    return EnumSet.of(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY,
        MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL,
        MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST);
  }

  /** The answer is parsed as MessageCatalog.answerTo(the question's type), the type the SDK expects. */
  @SuppressWarnings("unchecked")
  private static <Q extends MessageLite, A extends MessageLite> PassThroughHandler<Q, A> typed(Question h) {
    return (q, c) -> (A) h.answer(q, c);
  }

  /** Every catalogue type of {@code kind} (the registrations above must cover them; a test checks). */
  static Set<MessageType> catalogue(MessageCatalog.Kind kind) {
    Set<MessageType> all = EnumSet.noneOf(MessageType.class);
    MessageCatalog.entries().values().stream().filter(e -> e.kind() == kind).forEach(e -> all.add(e.type()));
    return all;
  }
}
