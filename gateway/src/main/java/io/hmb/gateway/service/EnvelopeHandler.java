package io.hmb.gateway.service;

import io.grpc.stub.StreamObserver;
import io.hmb.api.MessageCatalog.Rpc;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.SealedEnvelope;

/** What the gateway does with an envelope that arrived on an RPC. */
public interface EnvelopeHandler {
  /** A pass-through call: answer with the recipient's sealed reply, or an error. */
  void exchange(Rpc rpc, SealedEnvelope envelope, StreamObserver<SealedEnvelope> reply);

  /** A store-and-forward submission: answer once durably accepted, or an error. */
  void submit(Rpc rpc, SealedEnvelope envelope, StreamObserver<Acceptance> reply);
}
