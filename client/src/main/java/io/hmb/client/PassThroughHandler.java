package io.hmb.client;

import com.google.protobuf.MessageLite;

/**
 * Answers one kind of pass-through request (a coverage query, a deduction request, ...). Called only
 * with a request that opened and verified. Return the answer payload; the endpoint seals it back to the
 * asker with correlation_id set.
 *
 * <p>To refuse the payload, throw {@link InvalidPayloadException} (PAYLOAD_INVALID to the asker), or an
 * {@code io.hmb.api.Errors} status of your choice. Any other exception reaches the asker as a generic
 * internal failure; its message is never sent (it might hold personal data).
 */
@FunctionalInterface
public interface PassThroughHandler<Q extends MessageLite, A extends MessageLite> {
  A answer(Q request, MessageContext context) throws Exception;
}
