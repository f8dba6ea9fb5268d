package io.hmb.gateway.pipeline;

import io.hmb.api.v1.MessageType;
import java.util.Map;

/** The answer type a recipient must send back for each pass-through request type. */
final class AnswerTypes {
  private static final Map<MessageType, MessageType> ANSWERS = Map.of(
      MessageType.MESSAGE_TYPE_COVERAGE_QUERY, MessageType.MESSAGE_TYPE_COVERAGE_DECISION,
      MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY, MessageType.MESSAGE_TYPE_INSURED_STATUS,
      MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT,
      MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL, MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT,
      MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, MessageType.MESSAGE_TYPE_BENEFIT_QUOTE);

  private AnswerTypes() {}

  static MessageType answerTo(MessageType request) {
    MessageType answer = ANSWERS.get(request);
    if (answer == null) {
      throw new IllegalArgumentException(request + " is not a pass-through request type");
    }
    return answer;
  }
}
