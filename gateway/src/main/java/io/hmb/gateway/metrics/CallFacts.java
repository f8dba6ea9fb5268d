package io.hmb.gateway.metrics;

import io.grpc.Context;

/**
 * Header facts of the call in progress (ids and type only, never personal data), filled in by the
 * pipeline once it has parsed the header, so the call's single log line can name the message.
 */
public final class CallFacts {
  public static final Context.Key<CallFacts> KEY = Context.key("hmb-call-facts");

  private volatile String messageId = "";
  private volatile String correlationId = "";
  private volatile String messageType = "";

  /** Records the header facts on the current call, if it carries a holder. */
  public static void record(String messageId, String correlationId, String messageType) {
    CallFacts facts = KEY.get();
    if (facts != null) {
      facts.messageId = messageId;
      facts.correlationId = correlationId;
      facts.messageType = messageType;
    }
  }

  String describe() {
    return messageId.isEmpty() ? "" : " messageId=" + messageId + " correlationId=" + correlationId + " type=" + messageType;
  }
}
