package io.hmb.gateway.e2e;

import io.hmb.gateway.Gateway;
import java.util.List;

/** Reads a message's audit events, in order, for assertions. */
final class CoreEndToEndTestAudit {
  private CoreEndToEndTestAudit() {}

  static List<String> events(Gateway gateway, String messageId) {
    try {
      return gateway.admin().auditEvents(messageId);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
