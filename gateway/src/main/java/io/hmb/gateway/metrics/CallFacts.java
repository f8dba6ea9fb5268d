package io.hmb.gateway.metrics;

import io.grpc.Context;
import io.hmb.api.MessageIds;

/**
 * Header facts of the call in progress (ids and type only, never personal data), filled in by the
 * pipeline once it has parsed the header, so the call's single log line can name the message.
 */
public final class CallFacts {
  public static final Context.Key<CallFacts> KEY = Context.key("hmb-call-facts");

  private volatile String messageId = "";
  private volatile String correlationId = "";
  private volatile String messageType = "";

  /**
   * Records the header facts on the current call, if it carries a holder. The header is not validated yet:
   * an id that is not a UUID is recorded as such, never as what the caller wrote.
   */
  public static void record(String messageId, String correlationId, String messageType) {
    CallFacts facts = KEY.get();
    if (facts != null) {
      facts.messageId = idOrNote(messageId);
      facts.correlationId = idOrNote(correlationId);
      facts.messageType = LogSafe.value(messageType);
    }
  }

  private static String idOrNote(String id) {
    return id.isEmpty() || MessageIds.isValid(id) ? id : "(not a UUID, " + id.length() + " chars)";
  }

  String messageId() {
    return messageId;
  }

  String correlationId() {
    return correlationId;
  }

  String messageType() {
    return messageType;
  }

  String describe() {
    return messageId.isEmpty() ? "" : " messageId=" + messageId + " correlationId=" + correlationId + " type=" + messageType;
  }
}
