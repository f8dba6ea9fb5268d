package io.hmb.client;

import com.google.protobuf.MessageLite;
import java.util.Objects;

/**
 * The verified answer to a pass-through request: its payload and the header facts that bind it to the
 * request.
 *
 * <p><b>Guarantees.</b> The payload was signed by {@link #sender()} (the recipient the request was
 * addressed to) with a live key from the directory, was sealed for this participant, is of the answer
 * type the request calls for, and answers this operation: {@link #correlationId()} is the message_id
 * of one of this call's attempts or, for a request with an idempotency key, the gateway's stored answer
 * to an earlier attempt of the same operation (see {@link GatewayClient}).
 *
 * <p>The payload may hold personal data: {@link #toString()} omits it.
 *
 * @param payload the opened answer
 * @param messageId the answer's own message_id
 * @param correlationId the message_id of the request attempt it answers
 * @param sender the participant that signed the answer
 * @param requestMessageId the message_id of the last attempt this call sent
 */
public record Answer<T extends MessageLite>(T payload, String messageId, String correlationId, String sender,
    String requestMessageId) {
  public Answer {
    Objects.requireNonNull(payload, "payload");
  }

  @Override
  public String toString() {
    return "Answer{" + payload.getClass().getSimpleName() + ", messageId=" + messageId + ", correlationId="
        + correlationId + ", sender=" + sender + ", requestMessageId=" + requestMessageId + "}";
  }
}
