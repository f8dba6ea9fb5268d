package io.hmb.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.AcknowledgeRequest;
import io.hmb.api.v1.AcknowledgeResponse;
import io.hmb.api.v1.ClaimServiceGrpc;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.Participant;
import io.hmb.api.v1.PremiumServiceGrpc;
import io.hmb.api.v1.Product;
import io.hmb.api.v1.PublicKeyInfo;
import io.hmb.api.v1.ReconciliationServiceGrpc;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.ResolveProductRequest;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.api.v1.SubscribeRequest;
import io.hmb.security.PublicKeyHandle;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small in-memory gateway for the SDK's tests: directory, pass-through forwarding to participants'
 * RecipientEndpoints over in-process channels, store-and-forward with idempotent acceptances and push
 * or inbox delivery. It does what the SDK can observe of the real one (deadline required, stored answer
 * replayed for a repeated idempotency key, Acceptance replayed, KEY_UNKNOWN for a stale recipient key)
 * and no cryptographic checks of its own: the recipient side verifies.
 */
final class FakeGateway implements AutoCloseable {
  private final String name = InProcessServerBuilder.generateName();
  private final Server server;
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private final List<Server> endpointServers = new CopyOnWriteArrayList<>();

  final Map<String, Participant> participants = new ConcurrentHashMap<>();
  final Map<String, Product> products = new ConcurrentHashMap<>();
  private final Map<String, ManagedChannel> endpoints = new ConcurrentHashMap<>();
  private final Map<String, SealedEnvelope> storedAnswers = new ConcurrentHashMap<>();
  private final Map<String, Acceptance> storedAcceptances = new ConcurrentHashMap<>();

  /** Failures to return, in order, before forwarding or accepting the next messages. */
  final Deque<StatusRuntimeException> failNext = new ConcurrentLinkedDeque<>();
  /** Headers of every envelope received on a message RPC, in arrival order. */
  final List<EnvelopeHeader> received = new CopyOnWriteArrayList<>();
  final AtomicInteger getParticipantCalls = new AtomicInteger();
  /** Message ids acknowledged through DeliveryService, and an ordered log of inbox events. */
  final List<String> acknowledged = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();
  final AtomicInteger subscriptions = new AtomicInteger();
  private final Deque<Delivery> inbox = new ConcurrentLinkedDeque<>();
  private volatile ServerCallStreamObserver<Delivery> subscriber;
  /** Every delivery for the inbox, in order (what a redelivery copies). */
  final List<Delivery> inboxed = new CopyOnWriteArrayList<>();
  /** Every delivery pushed to an endpoint, in order. */
  final List<Delivery> pushed = new CopyOnWriteArrayList<>();
  /** Index in an upload at which the stream is refused (NOT_AUTHORISED), or -1. */
  volatile int refuseUploadAt = -1;

  FakeGateway() throws Exception {
    server = InProcessServerBuilder.forName(name)
        .addService(new Directory()).addService(new Eligibility()).addService(new Premium())
        .addService(new Settlement()).addService(new Claims()).addService(new Reconciliation())
        .addService(new Inbox())
        .build().start();
  }

  /** A new channel to this gateway (closed by {@link #close()}). */
  ManagedChannel channel() {
    ManagedChannel c = InProcessChannelBuilder.forName(name).build();
    channels.add(c);
    return c;
  }

  void register(String code, Role role, String admdvs, PublicKeyHandle... keys) {
    Participant.Builder p = Participant.newBuilder().setCode(code).setRole(role).setAdmdvs(admdvs)
        .setDisplayName(code + " (test)");
    Instant now = Instant.now();
    boolean primary = true;
    for (PublicKeyHandle k : keys) {
      p.addKeys(PublicKeyInfo.newBuilder().setKeyId(k.keyId()).setCipherSuite(k.suite())
          .setPublicKey(ByteString.copyFrom(k.toSpkiDer()))
          .setNotBefore(ts(now.minusSeconds(86_400))).setNotAfter(ts(now.plusSeconds(86_400 * 365L)))
          .setPrimary(primary));
      primary = false;
    }
    participants.put(code, p.build());
  }

  void addProduct(String code, String admdvs, String lead) {
    products.put(code, Product.newBuilder().setProductCode(code).setAdmdvs(admdvs).setLeadInsurer(lead)
        .addMembers(Product.Member.newBuilder().setInsurer(lead).setShareBp(10_000)).build());
  }

  /** Serves a participant's RecipientService (e.g. a RecipientEndpoint) behind this gateway. */
  void serveEndpoint(String code, BindableService service) throws Exception {
    String endpointName = InProcessServerBuilder.generateName();
    endpointServers.add(InProcessServerBuilder.forName(endpointName).addService(service).build().start());
    ManagedChannel c = InProcessChannelBuilder.forName(endpointName).build();
    channels.add(c);
    endpoints.put(code, c);
  }

  void serveEndpoint(String code, ServerServiceDefinition service) throws Exception {
    serveEndpoint(code, () -> service);
  }

  /** The channel to a participant's endpoint, to call it directly as the gateway would. */
  ManagedChannel endpointChannel(String code) {
    return endpoints.get(code);
  }

  /** Puts a delivery into the inbox stream (sent at once if someone is subscribed). */
  void enqueueInbox(Delivery d) {
    inbox.add(d);
    drainInbox();
  }

  /** A copy of an earlier delivery with a higher attempt number, as a redelivery. */
  Delivery pushedOrInboxCopy(String messageId, int attempt) {
    return java.util.stream.Stream.concat(inboxed.stream(), pushed.stream())
        .filter(d -> d.getMessageId().equals(messageId)).findFirst().orElseThrow()
        .toBuilder().setAttempt(attempt).build();
  }

  /** Breaks the current subscription, as a network failure would. */
  void breakStream() {
    ServerCallStreamObserver<Delivery> s = subscriber;
    subscriber = null;
    if (s != null) {
      s.onError(io.grpc.Status.UNAVAILABLE.withDescription("connection reset").asRuntimeException());
    }
  }

  boolean subscribed() {
    return subscriber != null;
  }

  private synchronized void drainInbox() {
    ServerCallStreamObserver<Delivery> s = subscriber;
    while (s != null && !inbox.isEmpty()) {
      Delivery d = inbox.poll();
      events.add("sent " + d.getMessageId());
      s.onNext(d);
    }
  }

  private EnvelopeHeader header(SealedEnvelope e) {
    try {
      EnvelopeHeader h = EnvelopeHeader.parseFrom(e.getHeader());
      received.add(h);
      return h;
    } catch (InvalidProtocolBufferException x) {
      throw Errors.of(ErrorReason.MALFORMED_ENVELOPE, "unreadable header");
    }
  }

  private void injectedFailure() {
    StatusRuntimeException f = failNext.poll();
    if (f != null) {
      throw f;
    }
  }

  private void checkRecipientKey(EnvelopeHeader h) {
    Participant p = participants.get(h.getRecipient());
    if (p == null) {
      throw Errors.of(ErrorReason.RECIPIENT_UNKNOWN, "no participant " + h.getRecipient());
    }
    if (p.getKeysList().stream().noneMatch(k -> k.getKeyId().equals(h.getRecipientKeyId()))) {
      throw Errors.of(ErrorReason.KEY_UNKNOWN, "header.recipient_key_id is not a key of the recipient",
          Map.of("field", "recipient_key_id"));
    }
  }

  /** Pass-through: deadline required, a stored answer for a repeated key, else forward with the deadline. */
  private void exchange(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
    try {
      if (Context.current().getDeadline() == null) {
        throw Errors.of(ErrorReason.DEADLINE_MISSING, "set a deadline");
      }
      EnvelopeHeader h = header(request);
      injectedFailure();
      checkRecipientKey(h);
      String key = h.getSender() + "/" + h.getIdempotencyKey();
      SealedEnvelope stored = h.getIdempotencyKey().isEmpty() ? null : storedAnswers.get(key);
      if (stored == null) {
        ManagedChannel endpoint = endpoints.get(h.getRecipient());
        if (endpoint == null) {
          throw Errors.retryAfter(ErrorReason.RECIPIENT_UNAVAILABLE, "no endpoint", java.time.Duration.ofMillis(1));
        }
        stored = RecipientServiceGrpc.newBlockingStub(endpoint).withDeadline(Context.current().getDeadline())
            .exchange(request);
        if (!h.getIdempotencyKey().isEmpty()) {
          storedAnswers.put(key, stored);
        }
      }
      reply.onNext(stored);
      reply.onCompleted();
    } catch (StatusRuntimeException e) {
      reply.onError(e);
    }
  }

  /** Store-and-forward: idempotent acceptance, then push to the endpoint if any, else the inbox. */
  private Acceptance accept(SealedEnvelope envelope) {
    EnvelopeHeader h = header(envelope);
    injectedFailure();
    checkRecipientKey(h);
    String key = h.getSender() + "/" + h.getIdempotencyKey();
    Acceptance before = storedAcceptances.get(key);
    if (before != null) {
      return before.toBuilder().setReplayed(true).build();
    }
    Instant now = Instant.now();
    Acceptance a = Acceptance.newBuilder().setMessageId(h.getMessageId()).setAcceptTime(ts(now)).build();
    storedAcceptances.put(key, a);
    Delivery d = Delivery.newBuilder().setEnvelope(envelope).setMessageId(h.getMessageId()).setAttempt(1)
        .setAcceptTime(ts(now)).build();
    ManagedChannel endpoint = endpoints.get(h.getRecipient());
    if (endpoint != null) {
      pushed.add(d);
      RecipientServiceGrpc.newBlockingStub(endpoint).withDeadlineAfter(5, TimeUnit.SECONDS).deliver(d);
    } else {
      inboxed.add(d);
      enqueueInbox(d);
    }
    return a;
  }

  private void submit(SealedEnvelope envelope, StreamObserver<Acceptance> reply) {
    try {
      reply.onNext(accept(envelope));
      reply.onCompleted();
    } catch (StatusRuntimeException e) {
      reply.onError(e);
    }
  }

  private StreamObserver<SealedEnvelope> upload(StreamObserver<Acceptance> reply) {
    return new StreamObserver<>() {
      int index;
      boolean failed;

      @Override
      public synchronized void onNext(SealedEnvelope e) {
        if (failed) {
          return;
        }
        try {
          if (index++ == refuseUploadAt) {
            throw Errors.of(ErrorReason.NOT_AUTHORISED, "refused by the test");
          }
          reply.onNext(accept(e));
        } catch (StatusRuntimeException x) {
          failed = true;
          reply.onError(x);
        }
      }

      @Override
      public void onError(Throwable t) {
        failed = true;
      }

      @Override
      public synchronized void onCompleted() {
        if (!failed) {
          reply.onCompleted();
        }
      }
    };
  }

  static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  @Override
  public void close() {
    try {
      release();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while releasing the fake gateway", e);
    }
  }

  private void release() throws InterruptedException {
    breakStream();
    for (ManagedChannel c : channels) {
      c.shutdown();
    }
    server.shutdown();
    endpointServers.forEach(Server::shutdown);
    for (ManagedChannel c : channels) {
      if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
        throw new AssertionError("channel not released: " + c);
      }
    }
    for (Server s : endpointServers) {
      if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
        throw new AssertionError("endpoint server not released");
      }
    }
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      throw new AssertionError("gateway server not released");
    }
  }

  private final class Directory extends DirectoryServiceGrpc.DirectoryServiceImplBase {
    @Override
    public void getParticipant(GetParticipantRequest request, StreamObserver<Participant> reply) {
      getParticipantCalls.incrementAndGet();
      Participant p = participants.get(request.getCode());
      if (p == null) {
        reply.onError(Errors.of(ErrorReason.RECIPIENT_UNKNOWN, "no participant " + request.getCode()));
        return;
      }
      reply.onNext(p);
      reply.onCompleted();
    }

    @Override
    public void resolveProduct(ResolveProductRequest request, StreamObserver<Product> reply) {
      Product p = products.get(request.getProductCode());
      if (p == null) {
        reply.onError(Errors.of(ErrorReason.PRODUCT_UNKNOWN, "no product " + request.getProductCode()));
        return;
      }
      reply.onNext(p);
      reply.onCompleted();
    }
  }

  private final class Eligibility extends EligibilityServiceGrpc.EligibilityServiceImplBase {
    @Override
    public void checkCoverage(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
      exchange(request, reply);
    }

    @Override
    public void checkInsuredStatus(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
      exchange(request, reply);
    }
  }

  private final class Premium extends PremiumServiceGrpc.PremiumServiceImplBase {
    @Override
    public void requestDeduction(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
      exchange(request, reply);
    }

    @Override
    public void reverseDeduction(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
      exchange(request, reply);
    }

    @Override
    public void registerPolicy(SealedEnvelope request, StreamObserver<Acceptance> reply) {
      submit(request, reply);
    }
  }

  private final class Settlement extends SettlementServiceGrpc.SettlementServiceImplBase {
    @Override
    public void submitSettlement(SealedEnvelope request, StreamObserver<Acceptance> reply) {
      submit(request, reply);
    }

    @Override
    public StreamObserver<SealedEnvelope> uploadSettlements(StreamObserver<Acceptance> reply) {
      return upload(reply);
    }

    @Override
    public void cancelSettlement(SealedEnvelope request, StreamObserver<Acceptance> reply) {
      submit(request, reply);
    }

    @Override
    public void quoteBenefit(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
      exchange(request, reply);
    }
  }

  private final class Claims extends ClaimServiceGrpc.ClaimServiceImplBase {
    @Override
    public void publishClaimResult(SealedEnvelope request, StreamObserver<Acceptance> reply) {
      submit(request, reply);
    }
  }

  private final class Reconciliation extends ReconciliationServiceGrpc.ReconciliationServiceImplBase {
    @Override
    public void submitReport(SealedEnvelope request, StreamObserver<Acceptance> reply) {
      submit(request, reply);
    }

    @Override
    public StreamObserver<SealedEnvelope> uploadReportParts(StreamObserver<Acceptance> reply) {
      return upload(reply);
    }
  }

  private final class Inbox extends DeliveryServiceGrpc.DeliveryServiceImplBase {
    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<Delivery> reply) {
      subscriptions.incrementAndGet();
      ServerCallStreamObserver<Delivery> s = (ServerCallStreamObserver<Delivery>) reply;
      s.setOnCancelHandler(() -> {
        if (subscriber == s) {
          subscriber = null;
        }
      });
      subscriber = s;
      drainInbox();
    }

    @Override
    public void acknowledge(AcknowledgeRequest request, StreamObserver<AcknowledgeResponse> reply) {
      request.getMessageIdsList().forEach(id -> {
        events.add("acked " + id);
        acknowledged.add(id);
      });
      reply.onNext(AcknowledgeResponse.newBuilder().setAcknowledgedCount(request.getMessageIdsCount()).build());
      reply.onCompleted();
    }
  }
}
