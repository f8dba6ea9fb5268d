package io.hmb.client;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.hmb.api.MessageCatalog;
import io.hmb.api.MessageCatalog.Kind;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.KeyRing;
import io.hmb.security.PrivateKeyHandle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * One participant's connection to the gateway: seals, sends, and opens answers. The role clients
 * ({@link InsurerClient}, {@link BureauClient}, {@link HospitalClient}) are thin typed façades over it;
 * use it directly for anything they do not cover. Thread-safe; create one per participant and share it.
 *
 * <p><b>Guarantees.</b> Every envelope is signed with this participant's primary key and sealed for the
 * recipient's current key from the directory; every call carries a deadline (default 10 s, at most
 * 60 s); every attempt is a new envelope (new message_id, nonce, times) carrying the caller's
 * idempotency key unchanged; retries follow the {@link RetryPolicy}. A pass-through answer is returned
 * only after it opened, its signature verified with the recipient's directory key, and it proved to
 * be the answer to this request ({@link Answer}). Failures are {@link GatewayException}s with the
 * hmb.v1 reason.
 *
 * <p><b>Does not guarantee.</b> It does not persist idempotency keys: store the key with your business
 * record before calling, and reuse it after a crash. It does not own the {@link Channel}: whoever built
 * it shuts it down (grpc-java's habit). header.sender must equal the participant of the channel's TLS
 * client certificate, which this class cannot check; the gateway refuses a mismatch (SENDER_MISMATCH).
 * An {@link Acceptance} means the gateway committed the message, not that the recipient processed it;
 * on a retry it names the first accepted attempt's message_id ({@code replayed} true).
 */
public final class GatewayClient {
  /** The gateway refuses calls with a longer deadline (DEADLINE_MISSING). */
  public static final Duration MAX_DEADLINE = Duration.ofSeconds(60);
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
  /** Lifetime of pass-through envelopes (the gateway allows at most 24 h). */
  public static final Duration DEFAULT_MESSAGE_LIFETIME = Duration.ofMinutes(10);
  /**
   * Lifetime of store-and-forward envelopes: they wait in the gateway's outbox until the recipient
   * takes them, and an expired one is never delivered, so this is long (the format allows 7 days).
   */
  public static final Duration DEFAULT_STORE_AND_FORWARD_LIFETIME = Duration.ofDays(3);

  private static final Pattern CODE = io.hmb.api.ParticipantCode.PATTERN;
  private static final Instant FAR_FUTURE = Instant.parse("9999-12-31T23:59:59Z");

  private final String participant;
  private final Channel channel;
  private final KeyRing keys;
  private final Clock clock;
  private final Duration defaultDeadline;
  private final DirectoryCache directory;
  private final EnvelopeFactory envelopes;
  private final AnswerCheck answers;
  private final Attempts attempts;

  private GatewayClient(Builder b) {
    this.participant = b.participant;
    this.channel = b.channel;
    this.keys = b.keys;
    this.clock = b.clock;
    this.defaultDeadline = b.defaultDeadline;
    this.directory = new DirectoryCache(b.channel, b.clock, b.directoryTtl, b.defaultDeadline);
    this.envelopes = new EnvelopeFactory(b.participant, b.keys, b.clock, b.messageLifetime,
        b.storeAndForwardLifetime, directory);
    this.answers = new AnswerCheck(b.participant, b.keys, directory, b.clock);
    this.attempts = new Attempts(b.retryPolicy, b.sleeper, directory);
  }

  /** @param participant this participant's code, e.g. "INSURER-LEAD-210200" */
  public static Builder builder(String participant) {
    return new Builder(participant);
  }

  /**
   * Sends a pass-through request and returns the recipient's verified answer. The answer type must be
   * the one the request type calls for (COVERAGE_QUERY -> CoverageDecision, ...).
   */
  public <T extends MessageLite> Answer<T> exchange(OutboundMessage m, Parser<T> answerParser) {
    Objects.requireNonNull(answerParser, "answerParser");
    if (!MessageCatalog.is(m.type(), Kind.PASS_THROUGH)) {
      throw new IllegalArgumentException(m.type() + " is not a pass-through request: use submit()");
    }
    var method = MessageCatalog.exchangeMethod(m.type());
    return attempts.run(m, deadlineOf(m), (deadline, sent) -> {
      Sealed sealed = envelopes.seal(m);
      sent.add(sealed);
      SealedEnvelope answer = call(() -> ClientCalls.blockingUnaryCall(channel, method, options(deadline),
          sealed.envelope()));
      return answers.open(answer, sent, answerParser);
    });
  }

  /** Submits a store-and-forward message; the Acceptance means durably recorded by the gateway. */
  public Acceptance submit(OutboundMessage m) {
    if (!MessageCatalog.is(m.type(), Kind.STORE_AND_FORWARD)) {
      throw new IllegalArgumentException(m.type() + " is not a store-and-forward message: use exchange()");
    }
    var method = MessageCatalog.submitMethod(m.type());
    return attempts.run(m, deadlineOf(m), (deadline, sent) -> {
      Sealed sealed = envelopes.seal(m);
      sent.add(sealed);
      return call(() -> ClientCalls.blockingUnaryCall(channel, method, options(deadline), sealed.envelope()));
    });
  }

  /**
   * Uploads a batch of one type (settlement data or reconciliation report parts) on the streaming RPC
   * and returns one Acceptance per message, in order. The gateway ends the stream at the first refusal;
   * then this throws {@link PartialUploadException} with the acceptances received before it. A retry
   * resends the whole batch sealed anew with the same keys: what was accepted comes back replayed.
   * The deadline (of the first message, or the default) covers the whole stream.
   */
  public List<Acceptance> upload(List<OutboundMessage> batch) {
    if (batch.isEmpty()) {
      return List.of();
    }
    MessageType type = batch.get(0).type();
    if (batch.stream().anyMatch(m -> m.type() != type)) {
      throw new IllegalArgumentException("an upload carries one message type");
    }
    var method = MessageCatalog.uploadMethod(type);
    OutboundMessage first = batch.get(0);
    return attempts.run(first, deadlineOf(first), (deadline, sent) -> {
      List<SealedEnvelope> envelopes = new ArrayList<>();
      for (OutboundMessage m : batch) {
        Sealed s = this.envelopes.seal(m);
        sent.add(s);
        envelopes.add(s.envelope());
      }
      return stream(method, envelopes, deadline);
    });
  }

  /** The directory (participants' keys, products' lead insurers), cached briefly. */
  public DirectoryCache directory() {
    return directory;
  }

  /** This participant's code. */
  public String participant() {
    return participant;
  }

  KeyRing keys() {
    return keys;
  }

  Clock clock() {
    return clock;
  }

  Channel channel() {
    return channel;
  }

  Duration defaultDeadline() {
    return defaultDeadline;
  }

  private Duration deadlineOf(OutboundMessage m) {
    return m.deadline().orElse(defaultDeadline);
  }

  private static CallOptions options(Duration deadline) {
    return CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static <T> T call(java.util.function.Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw GatewayException.fromCall(e);
    }
  }

  private List<Acceptance> stream(io.grpc.MethodDescriptor<SealedEnvelope, Acceptance> method,
      List<SealedEnvelope> envelopes, Duration deadline) {
    List<Acceptance> accepted = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    ClientCall<SealedEnvelope, Acceptance> call = channel.newCall(method, options(deadline));
    StreamObserver<SealedEnvelope> requests = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<>() {
      @Override
      public void onNext(Acceptance a) {
        synchronized (accepted) {
          accepted.add(a);
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    });
    try {
      envelopes.forEach(requests::onNext);
      requests.onCompleted();
    } catch (RuntimeException e) {
      requests.onError(e);
      throw e;
    }
    try {
      // The call's own deadline ends it; the extra second only covers the last status on its way.
      done.get(deadline.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      synchronized (accepted) {
        throw new PartialUploadException(GatewayException.fromCall(e.getCause()), List.copyOf(accepted));
      }
    } catch (TimeoutException e) {
      call.cancel("upload timed out", null);
      throw new PartialUploadException(GatewayException.fromCall(
          io.grpc.Status.DEADLINE_EXCEEDED.withDescription("upload timed out").asRuntimeException()), List.copyOf(accepted));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel("interrupted", null);
      throw GatewayException.fromCall(io.grpc.Status.CANCELLED.withDescription("interrupted").asRuntimeException());
    }
    synchronized (accepted) {
      if (accepted.size() != envelopes.size()) {
        throw new PartialUploadException(GatewayException.fromCall(io.grpc.Status.INTERNAL
            .withDescription("the gateway ended the upload after " + accepted.size() + " of " + envelopes.size()
                + " acceptances").asRuntimeException()), List.copyOf(accepted));
      }
      return List.copyOf(accepted);
    }
  }

  static Duration checkDeadline(Duration d) {
    Objects.requireNonNull(d, "deadline");
    if (d.isNegative() || d.isZero() || d.compareTo(MAX_DEADLINE) > 0) {
      throw new IllegalArgumentException("a deadline must be positive and at most " + MAX_DEADLINE.toSeconds()
          + " s (the gateway's limit)");
    }
    return d;
  }

  @Override
  public String toString() {
    return "GatewayClient{participant=" + participant + ", signingKey=" + keys.primaryEntry().keyId()
        + ", defaultDeadline=" + defaultDeadline + "}";
  }

  /**
   * Builds a GatewayClient. Required: {@link #channel} and one of {@link #signingKeys} or
   * {@link #signingKey}. Everything else has a named default.
   */
  public static final class Builder {
    private final String participant;
    private Channel channel;
    private KeyRing keys;
    private Clock clock = Clock.systemUTC();
    private Duration defaultDeadline = DEFAULT_DEADLINE;
    private Duration messageLifetime = DEFAULT_MESSAGE_LIFETIME;
    private Duration storeAndForwardLifetime = DEFAULT_STORE_AND_FORWARD_LIFETIME;
    private Duration directoryTtl = DirectoryCache.DEFAULT_TTL;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Sleeper sleeper = Sleeper.SYSTEM;

    private Builder(String participant) {
      if (participant == null || !CODE.matcher(participant).matches()) {
        throw new IllegalArgumentException("participant must be a participant code like BUREAU-210200");
      }
      this.participant = participant;
    }

    /** A channel to the gateway with this participant's mTLS client certificate. Not owned: you close it. */
    public Builder channel(Channel channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /** This participant's key ring: the primary signs; every ENABLED key opens answers. */
    public Builder signingKeys(KeyRing keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /** A single signing key (no rotation in progress). */
    public Builder signingKey(PrivateKeyHandle key) {
      Objects.requireNonNull(key, "key");
      this.keys = KeyRing.builder().add(key, Instant.EPOCH, FAR_FUTURE).build();
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Deadline of each attempt when the call sets none (at most 60 s). Also used for directory calls. */
    public Builder defaultDeadline(Duration d) {
      this.defaultDeadline = checkDeadline(d);
      return this;
    }

    /** Lifetime (expire_time - create_time) of pass-through envelopes, at most 24 h. */
    public Builder messageLifetime(Duration d) {
      this.messageLifetime = lifetime(d, Duration.ofHours(24));
      return this;
    }

    /** Lifetime of store-and-forward envelopes, at most 7 days; undelivered by then means never delivered. */
    public Builder storeAndForwardLifetime(Duration d) {
      this.storeAndForwardLifetime = lifetime(d, Duration.ofDays(7));
      return this;
    }

    /** How long directory answers are reused (default 60 s). */
    public Builder directoryCacheTtl(Duration d) {
      this.directoryTtl = lifetime(d, Duration.ofDays(1));
      return this;
    }

    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Test seam: how to wait between attempts. */
    Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    public GatewayClient build() {
      if (channel == null) {
        throw new IllegalStateException("channel is required (a Channel to the gateway with your mTLS certificate)");
      }
      if (keys == null) {
        throw new IllegalStateException("signing keys are required: signingKeys(KeyRing) or signingKey(PrivateKeyHandle)");
      }
      return new GatewayClient(this);
    }

    private static Duration lifetime(Duration d, Duration max) {
      Objects.requireNonNull(d, "duration");
      if (d.isNegative() || d.isZero() || d.compareTo(max) > 0) {
        throw new IllegalArgumentException("must be positive and at most " + max);
      }
      return d;
    }
  }
}
