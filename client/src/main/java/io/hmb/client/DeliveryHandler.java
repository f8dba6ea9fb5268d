package io.hmb.client;

import com.google.protobuf.MessageLite;

/**
 * Processes one store-and-forward message (settlement data, a claim result, ...). Return only once the
 * message is durably processed: returning acknowledges it to the gateway, which then never sends it
 * again. Throwing leaves it unacknowledged, so it comes again later.
 *
 * <p>The same message may come more than once (a lost acknowledgement, a restart); the SDK drops repeats
 * it remembers, in memory only. Deduplicate durably by {@link MessageContext#messageId()} (or your own
 * business id) in the same transaction that records the message.
 */
@FunctionalInterface
public interface DeliveryHandler<T extends MessageLite> {
  void handle(T message, MessageContext context) throws Exception;
}
