package io.hmb.gateway.intake;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.MessageCatalog.Rpc;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SealedEnvelope;
import java.util.Map;

/**
 * The first, cheapest check of an incoming envelope, before any cryptography: size, the header parses,
 * and the message type is known and is the one this RPC accepts. Field-level header checks (required
 * fields, formats, times), keys and the signature follow in security's EnvelopeVerifier.
 */
public final class EnvelopeIntake {
  private final int maxEnvelopeBytes;

  public EnvelopeIntake(int maxEnvelopeBytes) {
    this.maxEnvelopeBytes = maxEnvelopeBytes;
  }

  /** The parsed header of an envelope that passed intake; throws the gRPC error to return otherwise. */
  public EnvelopeHeader admit(SealedEnvelope envelope, Rpc rpc) {
    int size = envelope.getSerializedSize();
    if (size > maxEnvelopeBytes) {
      throw Errors.of(ErrorReason.PAYLOAD_TOO_LARGE,
          "envelope is " + size + " bytes; the limit is " + maxEnvelopeBytes,
          Map.of("limit_bytes", Integer.toString(maxEnvelopeBytes)));
    }
    if (envelope.getHeader().isEmpty()) {
      throw missing("header", "envelope.header is empty: it must hold the serialized EnvelopeHeader");
    }
    EnvelopeHeader header;
    try {
      header = EnvelopeHeader.parseFrom(envelope.getHeader());
    } catch (InvalidProtocolBufferException e) {
      throw Errors.of(ErrorReason.MALFORMED_ENVELOPE,
          "envelope.header is not a serialized hmb.v1.EnvelopeHeader");
    }
    checkType(header, rpc);
    return header;
  }

  private static void checkType(EnvelopeHeader header, Rpc rpc) {
    MessageType type = header.getMessageType();
    if (type == MessageType.MESSAGE_TYPE_UNSPECIFIED) {
      throw missing("message_type", "header.message_type is required");
    }
    if (type == MessageType.UNRECOGNIZED) {
      throw Errors.of(ErrorReason.UNKNOWN_MESSAGE_TYPE,
          "header.message_type " + header.getMessageTypeValue() + " is not an hmb.v1 message type",
          Map.of("field", "message_type"));
    }
    if (type != rpc.acceptedType()) {
      throw Errors.of(ErrorReason.MESSAGE_TYPE_MISMATCH,
          rpc.fullMethodName() + " accepts " + rpc.acceptedType().name() + ", not " + type.name(),
          Map.of("field", "message_type", "expected", rpc.acceptedType().name()));
    }
  }

  private static StatusRuntimeException missing(String field, String message) {
    return Errors.of(ErrorReason.MISSING_HEADER_FIELD, message, Map.of("field", field));
  }
}
