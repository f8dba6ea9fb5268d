package io.hmb.client;

import com.google.protobuf.MessageLite;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.PolicyRegistration;
import io.hmb.api.v1.ReconciliationReport;
import io.hmb.api.v1.SettlementCancellation;
import io.hmb.api.v1.SettlementData;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** Typed delivery handlers by message type, shared by {@link RecipientEndpoint} and {@link InboxSubscriber}. */
final class DeliveryRouting {
  private final Map<MessageType, DeliveryHandler<? extends MessageLite>> handlers = new EnumMap<>(MessageType.class);

  void onSettlementData(DeliveryHandler<SettlementData> h) {
    put(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, h);
  }

  void onSettlementCancellation(DeliveryHandler<SettlementCancellation> h) {
    put(MessageType.MESSAGE_TYPE_SETTLEMENT_CANCELLATION, h);
  }

  void onClaimResult(DeliveryHandler<ClaimResult> h) {
    put(MessageType.MESSAGE_TYPE_CLAIM_RESULT, h);
  }

  void onPolicyRegistration(DeliveryHandler<PolicyRegistration> h) {
    put(MessageType.MESSAGE_TYPE_POLICY_REGISTRATION, h);
  }

  void onReconciliationReport(DeliveryHandler<ReconciliationReport> h) {
    put(MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT, h);
  }

  private void put(MessageType type, DeliveryHandler<? extends MessageLite> h) {
    if (handlers.putIfAbsent(type, Objects.requireNonNull(h, "handler")) != null) {
      throw new IllegalStateException("a handler for " + type + " is already registered");
    }
  }

  @SuppressWarnings("unchecked")
  DeliveryHandler<MessageLite> get(MessageType type) {
    return (DeliveryHandler<MessageLite>) handlers.get(type);
  }

  DeliveryRouting copy() {
    DeliveryRouting c = new DeliveryRouting();
    c.handlers.putAll(handlers);
    return c;
  }
}
