package io.hmb.gateway.service;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.hmb.api.MessageCatalog.Rpc;
import io.hmb.api.v1.Acceptance;

/**
 * A streamed batch upload: each envelope is submitted like a unary one, and its Acceptance is sent
 * back in order. The first rejection ends the stream with that error; everything acknowledged before
 * it stays accepted, so the sender resumes from the first envelope without an Acceptance.
 *
 * <p>A stream the client cuts: nothing is admitted once the call is cancelled (its Context is
 * cancelled at once, while gRPC may still be handing over envelopes it had buffered; before this check
 * they were all admitted). What cannot be avoided is an Acceptance committed and sent but lost with the
 * cut, so after a cut every acknowledged envelope is stored and an unacknowledged one may be too (at
 * most the ones whose Acceptance was on its way). The sender resends everything unacknowledged with the
 * same idempotency keys: a stored one comes back replayed, with its original message_id, nothing is
 * stored twice (docs/reliability.md, "Upload streams").
 */
final class OrderedUpload implements StreamObserver<Received> {
  private final Rpc rpc;
  private final EnvelopeHandler handler;
  private final StreamObserver<Acceptance> reply;
  private boolean failed;

  OrderedUpload(Rpc rpc, EnvelopeHandler handler, StreamObserver<Acceptance> reply) {
    this.rpc = rpc;
    this.handler = handler;
    this.reply = reply;
  }

  @Override
  public synchronized void onNext(Received received) {
    if (failed) {
      return;
    }
    if (Context.current().isCancelled()) {
      failed = true; // the client is gone: admit nothing it cannot hear about
      return;
    }
    if (received.malformed()) {
      failed = true;
      EnvelopeServices.refuseMalformed(reply);
      return;
    }
    handler.submit(rpc, received.envelope(), new StreamObserver<>() {
      @Override
      public void onNext(Acceptance acceptance) {
        reply.onNext(acceptance);
      }

      @Override
      public void onError(Throwable error) {
        failed = true;
        reply.onError(error);
      }

      @Override
      public void onCompleted() {
        // One envelope done; the stream goes on.
      }
    });
  }

  @Override
  public synchronized void onError(Throwable clientGone) {
    failed = true;
  }

  @Override
  public synchronized void onCompleted() {
    if (!failed) {
      reply.onCompleted();
    }
  }
}
