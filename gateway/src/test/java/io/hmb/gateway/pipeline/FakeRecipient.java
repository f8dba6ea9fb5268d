package io.hmb.gateway.pipeline;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The recipients' side of pass-through calls, served in-process for every registered endpoint of a
 * {@link PipelineHarness}. It records what reached it (endpoint, envelope, the deadline the forwarded
 * call carried) and answers through a {@link Behaviour} the test may replace: by default a correct,
 * freshly sealed answer from the recipient.
 */
final class FakeRecipient {
  /** What reached a recipient's endpoint. {@code deadlineMillis} is the time left when it arrived, or -1. */
  record Forwarded(String endpoint, SealedEnvelope envelope, EnvelopeHeader header, long deadlineMillis) {}

  /** How the recipient answers a request; {@link #hang()} never does. */
  @FunctionalInterface
  interface Behaviour {
    void answer(Forwarded request, StreamObserver<SealedEnvelope> reply);
  }

  static Behaviour hang() {
    return (request, reply) -> {};
  }

  private final List<Forwarded> forwarded = new CopyOnWriteArrayList<>();
  private final List<Throwable> broken = new CopyOnWriteArrayList<>();
  private volatile Behaviour behaviour;

  FakeRecipient(Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  void behave(Behaviour b) {
    this.behaviour = b;
  }

  List<Forwarded> forwarded() {
    return List.copyOf(forwarded);
  }

  /** Fails if a behaviour threw: the test's fake, not the gateway, would have decided the outcome. */
  void assertNotBroken() {
    if (!broken.isEmpty()) {
      AssertionError e = new AssertionError("the fake recipient failed: " + broken.get(0), broken.get(0));
      broken.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
  }

  /** The service one endpoint serves. */
  RecipientServiceGrpc.RecipientServiceImplBase serviceAt(String endpoint) {
    return new RecipientServiceGrpc.RecipientServiceImplBase() {
      @Override
      public void exchange(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
        Deadline d = Context.current().getDeadline();
        EnvelopeHeader header;
        try {
          header = EnvelopeHeader.parseFrom(request.getHeader());
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError("the gateway forwarded an envelope whose header does not parse", e);
        }
        Forwarded f = new Forwarded(endpoint, request, header, d == null ? -1 : d.timeRemaining(TimeUnit.MILLISECONDS));
        forwarded.add(f);
        try {
          behaviour.answer(f, reply);
        } catch (RuntimeException | AssertionError e) {
          // A broken fake must fail the test, not pass for RECIPIENT_UNAVAILABLE.
          broken.add(e);
          throw e;
        }
      }
    };
  }
}
