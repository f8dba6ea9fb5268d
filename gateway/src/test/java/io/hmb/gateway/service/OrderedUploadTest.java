package io.hmb.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An upload stream the client cuts (issue 15, Security II, finding 5): gRPC may still hand over envelopes
 * it had buffered after the call was cancelled; none of them may be admitted, since the client will
 * never see their Acceptance.
 */
class OrderedUploadTest {
  static final MessageCatalog.Rpc UPLOAD = MessageCatalog.rpc(SettlementServiceGrpc.getUploadSettlementsMethod());

  final List<SealedEnvelope> submitted = new ArrayList<>();
  final List<Acceptance> acknowledged = new ArrayList<>();
  final EnvelopeHandler handler = new EnvelopeHandler() {
    @Override
    public void exchange(MessageCatalog.Rpc rpc, SealedEnvelope envelope, StreamObserver<SealedEnvelope> reply) {
      throw new AssertionError("an upload only submits");
    }

    @Override
    public void submit(MessageCatalog.Rpc rpc, SealedEnvelope envelope, StreamObserver<Acceptance> reply) {
      submitted.add(envelope);
      reply.onNext(Acceptance.newBuilder().setMessageId("m" + submitted.size()).build());
      reply.onCompleted();
    }
  };
  final StreamObserver<Acceptance> client = new StreamObserver<>() {
    @Override
    public void onNext(Acceptance a) {
      acknowledged.add(a);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  };

  @Test
  void envelopesHandedOverAfterTheClientCutTheStreamAreNotAdmitted() {
    Context.CancellableContext call = Context.current().withCancellation();
    OrderedUpload upload = new OrderedUpload(UPLOAD, handler, client);
    call.run(() -> {
      upload.onNext(new Received(SealedEnvelope.getDefaultInstance()));
      upload.onNext(new Received(SealedEnvelope.getDefaultInstance()));
    });
    call.cancel(null); // the client cut the stream; gRPC still delivers what it had buffered
    call.run(() -> {
      upload.onNext(new Received(SealedEnvelope.getDefaultInstance()));
      upload.onNext(new Received(SealedEnvelope.getDefaultInstance()));
    });

    assertThat(submitted).hasSize(2);
    assertThat(acknowledged).hasSize(2);
  }
}
