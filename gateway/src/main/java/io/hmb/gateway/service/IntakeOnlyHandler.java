package io.hmb.gateway.service;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.intake.EnvelopeIntake;
import io.hmb.gateway.intake.Rpc;

/**
 * The walking skeleton's handler: it runs intake, so malformed envelopes already get their precise
 * INVALID_ARGUMENT, and answers well-formed ones with NOT_IMPLEMENTED until routing exists.
 */
public final class IntakeOnlyHandler implements EnvelopeHandler {
  private final EnvelopeIntake intake;

  public IntakeOnlyHandler(EnvelopeIntake intake) {
    this.intake = intake;
  }

  @Override
  public void exchange(Rpc rpc, SealedEnvelope envelope, StreamObserver<SealedEnvelope> reply) {
    reply.onError(check(rpc, envelope));
  }

  @Override
  public void submit(Rpc rpc, SealedEnvelope envelope, StreamObserver<Acceptance> reply) {
    reply.onError(check(rpc, envelope));
  }

  private StatusRuntimeException check(Rpc rpc, SealedEnvelope envelope) {
    try {
      intake.admit(envelope, rpc);
      return Errors.of(ErrorReason.NOT_IMPLEMENTED,
          rpc.fullMethodName() + " is part of hmb.v1 but this gateway does not route it yet");
    } catch (StatusRuntimeException rejected) {
      return rejected;
    }
  }
}
