package io.hmb.client;

import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.SealedEnvelope;

/** One attempt's envelope with the header facts the answer is checked against. */
record Sealed(SealedEnvelope envelope, EnvelopeHeader header) {
  String messageId() {
    return header.getMessageId();
  }

  String recipient() {
    return header.getRecipient();
  }
}
