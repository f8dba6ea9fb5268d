package io.hmb.gateway.store;

/** What the store made of an incoming message. */
public sealed interface Admission {
  /** First time seen: recorded (with its audit row) under this row id. */
  record Fresh(long rowId) implements Admission {}

  /** Seen before with the same content and already answered: return this stored answer unchanged. */
  record Answered(long rowId, byte[] storedResponse) implements Admission {}

  /** Seen before with the same content, not answered yet (a pass-through still or again to forward). */
  record Unanswered(long rowId) implements Admission {}
}
