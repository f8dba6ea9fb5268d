package io.hmb.gateway.pipeline;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.MessageCatalog;
import io.hmb.api.MessageCatalog.Rpc;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.authz.AuthorisationMatrix;
import io.hmb.gateway.delivery.ForwardFailures;
import io.hmb.gateway.delivery.Forwarder;
import io.hmb.gateway.delivery.OutboxSignal;
import io.hmb.gateway.intake.Delivery;
import io.hmb.gateway.intake.EnvelopeIntake;
import io.hmb.gateway.metrics.CallFacts;
import io.hmb.gateway.metrics.LogSafe;
import io.hmb.gateway.registry.Participant;
import io.hmb.gateway.registry.RegistryCache;
import io.hmb.gateway.registry.RegistrySnapshot;
import io.hmb.gateway.server.PeerAuthentication;
import io.hmb.gateway.service.EnvelopeHandler;
import io.hmb.gateway.store.Admission;
import io.hmb.gateway.store.MessageRecords;
import io.hmb.gateway.store.MessageRef;
import io.hmb.gateway.store.MessageStore;
import io.hmb.security.EnvelopeException;
import io.hmb.security.EnvelopeVerifier;
import io.hmb.security.VerifiedHeader;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message path through the gateway, in order: intake, TLS identity = header.sender, the caller's
 * rate limit (keyed on the TLS identity, before any cryptography), signature and freshness (without decrypting), sender and recipient in the registry, authorisation, idempotency and
 * persistence with audit in one transaction, then delivery: pass-through (the caller waits) or the
 * durable outbox (the caller gets an Acceptance). Every refusal is a gRPC status with an ErrorInfo.
 */
public final class MessagePipeline implements EnvelopeHandler {
  private static final Logger log = LoggerFactory.getLogger(MessagePipeline.class);
  private final EnvelopeIntake intake;
  private final EnvelopeVerifier verifier;
  private final RegistryCache registry;
  private final MessageRecords store;
  private final Forwarder forwarder;
  private final OutboxSignal outboxSignal;
  private final RateLimiter rateLimiter;
  private final InFlightLimits inFlight;
  private final Duration maxDeadline;
  private final boolean asyncCommitForQuestions;
  private final Clock clock;

  public MessagePipeline(EnvelopeIntake intake, EnvelopeVerifier verifier, RegistryCache registry,
      MessageRecords store, Forwarder forwarder, OutboxSignal outboxSignal, RateLimiter rateLimiter,
      InFlightLimits inFlight, Duration maxDeadline, boolean asyncCommitForQuestions, Clock clock) {
    this.intake = intake;
    this.verifier = verifier;
    this.registry = registry;
    this.store = store;
    this.forwarder = forwarder;
    this.outboxSignal = outboxSignal;
    this.rateLimiter = rateLimiter;
    this.inFlight = inFlight;
    this.maxDeadline = maxDeadline;
    this.asyncCommitForQuestions = asyncCommitForQuestions;
    this.clock = clock;
  }

  /** What the checks before persistence established. */
  private record Checked(VerifiedHeader header, Participant sender, Participant recipient, MessageRef ref) {}

  @Override
  public void exchange(Rpc rpc, SealedEnvelope envelope, StreamObserver<SealedEnvelope> reply) {
    Deadline deadline;
    Checked c;
    InFlightLimits.Permit permit;
    try {
      deadline = requireDeadline();
      c = check(rpc, envelope);
      if (c.recipient().endpoint().isEmpty()) {
        throw Errors.retryAfter(ErrorReason.RECIPIENT_UNAVAILABLE, c.recipient().code()
            + " has no endpoint registered for pass-through calls", Duration.ofSeconds(30));
      }
      // Checked and authorised, nothing recorded yet: the last moment to refuse without a trace.
      permit = inFlight.acquire(c.sender().code(), c.recipient().code());
    } catch (StatusRuntimeException rejected) {
      reply.onError(rejected);
      return;
    }
    try {
      forward(c, envelope, deadline, releasing(reply, permit));
    } catch (RuntimeException unexpected) {
      permit.release();
      throw unexpected;
    }
  }

  /** Admits a checked pass-through and forwards it, or answers from the record. */
  private void forward(Checked c, SealedEnvelope envelope, Deadline deadline, StreamObserver<SealedEnvelope> reply) {
    try {
      Admission admission = admit(c, envelope, Delivery.PASS_THROUGH, null);
      long rowId;
      if (admission instanceof Admission.Answered answered) {
        SealedEnvelope stored = parseStored(answered.storedResponse());
        if (!expiresSoon(stored)) {
          reply.onNext(stored);
          reply.onCompleted();
          return;
        }
        // The stored answer would arrive expired: ask the recipient again; it answers from its record.
        rowId = answered.rowId();
      } else {
        rowId = admission instanceof Admission.Fresh f ? f.rowId() : ((Admission.Unanswered) admission).rowId();
      }
      Futures.addCallback(forwarder.exchange(c.recipient().code(), c.recipient().endpoint().get(), envelope, deadline),
          new FutureCallback<>() {
            @Override
            public void onSuccess(SealedEnvelope answer) {
              answered(c, rowId, answer, reply);
            }

            @Override
            public void onFailure(Throwable failure) {
              StatusRuntimeException error = ForwardFailures.toCallerError(failure, c.recipient().code());
              recordFailure(c, rowId, error);
              reply.onError(error);
            }
          }, MoreExecutors.directExecutor());
    } catch (StatusRuntimeException rejected) {
      reply.onError(rejected);
    }
  }

  /** The reply, giving the call's in-flight place back as it ends (before the caller hears, so it may call again). */
  private static <T> StreamObserver<T> releasing(StreamObserver<T> reply, InFlightLimits.Permit permit) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        reply.onNext(value);
      }

      @Override
      public void onError(Throwable error) {
        permit.release();
        reply.onError(error);
      }

      @Override
      public void onCompleted() {
        permit.release();
        reply.onCompleted();
      }
    };
  }

  @Override
  public void submit(Rpc rpc, SealedEnvelope envelope, StreamObserver<Acceptance> reply) {
    try {
      Checked c = check(rpc, envelope);
      Instant now = clock.instant();
      Acceptance acceptance = Acceptance.newBuilder()
          .setMessageId(c.header().messageId())
          .setAcceptTime(Timestamps.fromMillis(now.toEpochMilli()))
          .build();
      Admission admission = admit(c, envelope, Delivery.STORE_AND_FORWARD, acceptance.toByteArray());
      if (admission instanceof Admission.Answered answered) {
        reply.onNext(Acceptance.parseFrom(answered.storedResponse()).toBuilder().setReplayed(true).build());
      } else {
        outboxSignal.messageAccepted(c.recipient().code(), c.recipient().hasEndpoint());
        reply.onNext(acceptance);
      }
      reply.onCompleted();
    } catch (StatusRuntimeException rejected) {
      reply.onError(rejected);
    } catch (InvalidProtocolBufferException corrupt) {
      reply.onError(Errors.retryAfter(ErrorReason.GATEWAY_UNAVAILABLE,
          "the stored acceptance could not be read; retry", Duration.ofSeconds(1)));
    }
  }

  private Checked check(Rpc rpc, SealedEnvelope envelope) {
    EnvelopeHeader parsed = intake.admit(envelope, rpc);
    CallFacts.record(parsed.getMessageId(), parsed.getCorrelationId(), parsed.getMessageType().name());
    // Identity before cryptography: a caller claiming someone else is refused without an SM2 verify.
    String peer = PeerAuthentication.PEER.get();
    if (!parsed.getSender().isEmpty() && !parsed.getSender().equals(peer)) {
      throw Errors.of(ErrorReason.SENDER_MISMATCH, "header.sender " + LogSafe.value(parsed.getSender())
          + " is not the participant of the TLS client certificate (" + peer + ")", Map.of("field", "sender"));
    }
    // The rate limit before cryptography, keyed on the TLS identity: a bad signature costs the caller a
    // token, not the gateway an SM2 verify. (PeerAuthentication refused a caller not in the registry.)
    RegistrySnapshot snapshot = registry.current();
    snapshot.participant(peer).ifPresent(rateLimiter::acquire);
    VerifiedHeader header = verify(envelope);
    requireLifetime(header);
    Participant sender = snapshot.participant(header.sender()).orElseThrow(); // the verifier resolved it
    Participant recipient = snapshot.participant(header.recipient()).orElseThrow(() -> Errors.of(
        ErrorReason.RECIPIENT_UNKNOWN, "recipient " + header.recipient() + " is not a registered participant",
        Map.of("field", "recipient")));
    if (!recipient.active()) {
      throw Errors.of(ErrorReason.RECIPIENT_SUSPENDED, "recipient " + recipient.code() + " is suspended");
    }
    // A named product must be known; whether it may be named here (its city, its co-insurance body) is
    // the matrix's business, audited like every other refusal of the matrix.
    if (!header.productCode().isEmpty() && snapshot.product(header.productCode()).isEmpty()) {
      throw Errors.of(ErrorReason.PRODUCT_UNKNOWN, "product " + header.productCode() + " is not known to the gateway",
          Map.of("field", "product_code"));
    }
    MessageRef ref = new MessageRef(header.messageId(), header.sender(), header.recipient(),
        header.messageType().name(), header.admdvs(), Digests.sm3(envelope.getCiphertext()));
    AuthorisationMatrix.refusal(header.header(), sender, recipient, snapshot).ifPresent(refusal -> {
      recordRejection(ref, refusal.message());
      throw Errors.of(ErrorReason.NOT_AUTHORISED, refusal.message(), refusal.metadata());
    });
    requireIdempotencyKey(header);
    return new Checked(header, sender, recipient, ref);
  }

  private VerifiedHeader verify(SealedEnvelope envelope) {
    try {
      return verifier.verify(envelope);
    } catch (EnvelopeException e) {
      throw Errors.of(e.errorReason(), describe(e), e.metadata());
    }
  }

  /** The security module's sentence, with the gateway named where the receiver's clock is meant. */
  private static String describe(EnvelopeException e) {
    return e.getMessage().replace("the receiver's clock", "the gateway's clock");
  }

  /**
   * The verifier allows every envelope the longest lifetime (7 days); the catalogue allows a pass-through
   * type 24 hours (docs/envelope.md). Checked once the signature verified, before the registry is asked.
   */
  private static void requireLifetime(VerifiedHeader header) {
    Duration max = MessageCatalog.maxLifetime(header.messageType());
    if (Duration.between(header.createTime(), header.expireTime()).compareTo(max) > 0) {
      throw Errors.of(ErrorReason.INVALID_HEADER_FIELD, "header.expire_time is more than " + max.toHours()
          + " h after create_time; a " + header.messageType().name() + " may live at most that long",
          Map.of("field", "expire_time", "max_lifetime_seconds", Long.toString(max.toSeconds())));
    }
  }

  /** The catalogue says which types need a key: every store-and-forward type, and deductions. */
  private static void requireIdempotencyKey(VerifiedHeader header) {
    if (MessageCatalog.requiresIdempotencyKey(header.messageType()) && header.idempotencyKey().isEmpty()) {
      throw Errors.of(ErrorReason.IDEMPOTENCY_KEY_MISSING, header.messageType().name()
          + " needs header.idempotency_key, persisted before the first attempt", Map.of("field", "idempotency_key"));
    }
    if (!header.idempotencyKey().isEmpty() && header.header().getContentDigest().isEmpty()) {
      throw Errors.of(ErrorReason.MISSING_HEADER_FIELD,
          "header.content_digest is required with an idempotency key", Map.of("field", "content_digest"));
    }
  }

  private Deadline requireDeadline() {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      throw Errors.of(ErrorReason.DEADLINE_MISSING, "set a deadline on the call (at most " + maxDeadline.toSeconds() + " s)");
    }
    if (deadline.timeRemaining(java.util.concurrent.TimeUnit.MILLISECONDS) > maxDeadline.toMillis()) {
      throw Errors.of(ErrorReason.DEADLINE_MISSING, "the call's deadline is longer than the gateway's maximum of "
          + maxDeadline.toSeconds() + " s");
    }
    return deadline;
  }

  private Admission admit(Checked c, SealedEnvelope envelope, Delivery delivery, byte[] acceptance) {
    VerifiedHeader h = c.header();
    MessageStore.Incoming incoming = new MessageStore.Incoming(c.ref(), h.productCode(), h.idempotencyKey(),
        h.header().getContentDigest().toByteArray(), h.header().getNonce().toByteArray(), delivery,
        delivery == Delivery.STORE_AND_FORWARD ? envelope.toByteArray() : null, h.expireTime(),
        durability(h));
    try {
      return store.admit(incoming, clock.instant(), acceptance);
    } catch (SQLException e) {
      log.error("could not record message messageId={} sender={} error={}", h.messageId(), h.sender(), e.getMessage());
      throw Errors.retryAfter(ErrorReason.GATEWAY_UNAVAILABLE,
          "the gateway could not record the message; nothing was accepted, retry", Duration.ofSeconds(1));
    }
  }

  /**
   * Only a question (the catalogue's one definition: a pass-through type whose key is optional, sent
   * without one) may skip the WAL flush, and only if the operator chose so.
   */
  private MessageStore.Durability durability(VerifiedHeader h) {
    return asyncCommitForQuestions && MessageCatalog.isQuestion(h.messageType(), h.idempotencyKey())
        ? MessageStore.Durability.ASYNCHRONOUS : MessageStore.Durability.SYNCHRONOUS;
  }

  private void answered(Checked c, long rowId, SealedEnvelope answer, StreamObserver<SealedEnvelope> reply) {
    try {
      VerifiedHeader a = verify(answer);
      MessageType expected = MessageCatalog.answerTo(c.header().messageType());
      if (!a.sender().equals(c.recipient().code()) || !a.recipient().equals(c.sender().code())
          || a.messageType() != expected || !a.correlationId().equals(c.header().messageId())) {
        throw Errors.retryAfter(ErrorReason.RECIPIENT_UNAVAILABLE, c.recipient().code()
            + " answered with an envelope that is not a " + expected.name() + " to this request", Duration.ofSeconds(1));
      }
      store.recordAnswer(rowId, c.ref(), answer.toByteArray(), clock.instant(), durability(c.header()));
      reply.onNext(answer);
      reply.onCompleted();
    } catch (StatusRuntimeException refused) {
      recordFailure(c, rowId, refused);
      reply.onError(refused);
    } catch (SQLException e) {
      // The recipient did act; the caller may retry with the same key and the recipient answers again.
      log.error("could not store answer messageId={} error={}", c.header().messageId(), e.getMessage());
      reply.onError(Errors.retryAfter(ErrorReason.GATEWAY_UNAVAILABLE,
          "the answer could not be recorded; retry with the same idempotency key", Duration.ofSeconds(1)));
    }
  }

  private void recordFailure(Checked c, long rowId, StatusRuntimeException error) {
    try {
      store.recordForwardFailure(rowId, c.ref(), Errors.reason(error).map(Enum::name).orElse(error.getStatus().getCode().name()),
          clock.instant());
    } catch (SQLException e) {
      log.error("could not record forward failure messageId={} error={}", c.header().messageId(), e.getMessage());
    }
  }

  private void recordRejection(MessageRef ref, String why) {
    try {
      store.recordRejection(ref, why, clock.instant());
    } catch (SQLException e) {
      log.error("could not audit rejection messageId={} error={}", ref.messageId(), e.getMessage());
    }
  }

  /** Whether a stored answer expires within the next minute (the caller still has to open it). */
  private boolean expiresSoon(SealedEnvelope stored) {
    try {
      var expire = EnvelopeHeader.parseFrom(stored.getHeader()).getExpireTime();
      return Instant.ofEpochSecond(expire.getSeconds(), expire.getNanos()).isBefore(clock.instant().plusSeconds(60));
    } catch (InvalidProtocolBufferException e) {
      return true;
    }
  }

  private static SealedEnvelope parseStored(byte[] stored) {
    try {
      return SealedEnvelope.parseFrom(stored);
    } catch (InvalidProtocolBufferException e) {
      throw Errors.retryAfter(ErrorReason.GATEWAY_UNAVAILABLE, "the stored answer could not be read; retry",
          Duration.ofSeconds(1));
    }
  }
}
