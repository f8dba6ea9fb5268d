package io.hmb.gateway.service;

import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.hmb.api.v1.SealedEnvelope;
import java.io.InputStream;

/**
 * An envelope RPC's request as the transport delivered it: a SealedEnvelope, or bytes that are not one.
 * gRPC's own marshaller throws on bytes that do not parse; the server then answers UNKNOWN without an
 * ErrorInfo and logs a stack trace at SEVERE for what is a caller's mistake. With {@link #MARSHALLER} the
 * parse failure reaches the handler, which refuses it as MALFORMED_ENVELOPE, in one log line.
 */
record Received(SealedEnvelope envelope) {
  private static final MethodDescriptor.Marshaller<SealedEnvelope> PROTO =
      ProtoUtils.marshaller(SealedEnvelope.getDefaultInstance());

  /** Bytes that are not a serialized SealedEnvelope. */
  static final Received MALFORMED = new Received(null);

  boolean malformed() {
    return envelope == null;
  }

  /** Parses as gRPC's protobuf marshaller does, and never throws for what a caller sent. */
  static final MethodDescriptor.Marshaller<Received> MARSHALLER = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(Received value) {
      return PROTO.stream(value.malformed() ? SealedEnvelope.getDefaultInstance() : value.envelope());
    }

    @Override
    public Received parse(InputStream stream) {
      try {
        return new Received(PROTO.parse(stream));
      } catch (StatusRuntimeException | IllegalArgumentException notAnEnvelope) {
        return MALFORMED;
      }
    }
  };
}
