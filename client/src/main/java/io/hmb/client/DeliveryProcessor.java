package io.hmb.client;

import com.google.protobuf.MessageLite;
import io.hmb.api.Errors;
import io.hmb.api.MessageCatalog;
import io.hmb.api.MessageCatalog.Kind;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.security.OpenedMessage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One store-and-forward delivery, pushed or pulled: drop it if its message_id was processed recently,
 * else open and verify it, run the handler, and remember the id. Returns normally when the delivery may
 * be acknowledged; throws a status when it must come again.
 */
final class DeliveryProcessor {
  private final Receiver receiver;
  private final DeliveryRouting routing;
  private final RecentIds processed;
  private final Set<String> inProgress = ConcurrentHashMap.newKeySet();

  DeliveryProcessor(Receiver receiver, DeliveryRouting routing, int dedupCapacity) {
    this.receiver = receiver;
    this.routing = routing;
    this.processed = new RecentIds(dedupCapacity);
  }

  /** @return true if the handler ran, false if the delivery was a repeat that was dropped */
  boolean process(Delivery delivery) {
    String id = delivery.getMessageId();
    if (processed.contains(id)) {
      return false;
    }
    if (!inProgress.add(id)) {
      throw io.grpc.Status.ABORTED.withDescription("message " + id + " is being processed; deliver it again later")
          .asRuntimeException();
    }
    try {
      MessageType type = Receiver.peekType(delivery.getEnvelope());
      if (!MessageCatalog.is(type, Kind.STORE_AND_FORWARD)) {
        throw Errors.of(ErrorReason.MESSAGE_TYPE_MISMATCH, type + " is not a store-and-forward message type");
      }
      DeliveryHandler<MessageLite> handler = routing.get(type);
      if (handler == null) {
        throw Errors.of(ErrorReason.NOT_IMPLEMENTED, receiver.participant() + " takes no " + type + " messages");
      }
      OpenedMessage<MessageLite> opened = receiver.openDelivery(delivery.getEnvelope(), type);
      if (!opened.header().messageId().equals(id)) {
        throw Errors.of(ErrorReason.MALFORMED_ENVELOPE, "Delivery.message_id differs from the envelope's message_id",
            Map.of("field", "message_id"));
      }
      MessageContext context = new MessageContext(opened.header(), delivery.getAttempt(), null);
      HandlerCalls.run(() -> {
        handler.handle(opened.payload(), context);
        return null;
      }, context);
      processed.add(id);
      return true;
    } finally {
      inProgress.remove(id);
    }
  }
}
