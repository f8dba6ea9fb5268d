package io.hmb.gateway.pipeline;

import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import io.hmb.gateway.intake.Delivery;
import io.hmb.gateway.store.Admission;
import io.hmb.gateway.store.MessageRecords;
import io.hmb.gateway.store.MessageRef;
import io.hmb.gateway.store.MessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The message table in memory, for {@link PipelineHarness}: the admission rules of {@link MessageStore}
 * (message_id, (sender, idempotency key), (sender, nonce)) without SQL, and a list of every call, so a
 * test can say "nothing was recorded" and mean it. Synchronized: answers arrive on gRPC threads.
 */
final class InMemoryRecords implements MessageRecords {
  /** One admitted message (a row). {@code response} is the stored answer or Acceptance, null until then. */
  static final class Row {
    final long id;
    final MessageStore.Incoming incoming;
    final Instant receivedAt;
    byte[] response;
    String lastError;

    Row(long id, MessageStore.Incoming incoming, Instant receivedAt, byte[] response) {
      this.id = id;
      this.incoming = incoming;
      this.receivedAt = receivedAt;
      this.response = response;
    }
  }

  record Answer(long rowId, MessageRef ref, byte[] response, MessageStore.Durability durability) {}

  record Failure(long rowId, MessageRef ref, String why) {}

  record Rejection(MessageRef ref, String why) {}

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, Row> byMessageId = new HashMap<>();
  private final Map<String, Row> byKey = new HashMap<>();
  private final Set<String> nonces = new HashSet<>();
  private final List<Answer> answers = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();
  private final List<Rejection> rejections = new ArrayList<>();
  private int admitCalls;

  @Override
  public synchronized Admission admit(MessageStore.Incoming m, Instant now, byte[] acceptance) {
    admitCalls++;
    MessageRef r = m.ref();
    Row same = byMessageId.get(r.messageId());
    if (same != null) {
      if (!same.incoming.ref().sender().equals(r.sender())
          || !Arrays.equals(same.incoming.ref().ciphertextDigest(), r.ciphertextDigest())) {
        throw Errors.of(ErrorReason.REPLAYED, io.hmb.security.EnvelopeException.replayedMessage(r.messageId(), r.sender()));
      }
      return answeredOrNot(same);
    }
    if (!m.idempotencyKey().isEmpty()) {
      Row keyed = byKey.get(r.sender() + "/" + m.idempotencyKey());
      if (keyed != null) {
        MessageRef first = keyed.incoming.ref();
        if (!Arrays.equals(keyed.incoming.contentDigest(), m.contentDigest())
            || !first.messageType().equals(r.messageType())
            || MessageStore.sameOperationTo(first.recipient(), first.admdvs(),
                keyed.incoming.productCode().isEmpty() ? null : keyed.incoming.productCode(), m) != null) {
          throw Errors.of(ErrorReason.IDEMPOTENCY_KEY_REUSED, "idempotency key " + m.idempotencyKey()
              + " was already used by " + r.sender() + " for different content");
        }
        return answeredOrNot(keyed);
      }
    }
    if (!nonces.add(r.sender() + "/" + Arrays.toString(m.nonce()))) {
      throw Errors.of(ErrorReason.REPLAYED, io.hmb.security.EnvelopeException.replayedMessage(r.messageId(), r.sender()));
    }
    Row row = new Row(rows.size() + 1, m, now, m.delivery() == Delivery.STORE_AND_FORWARD ? acceptance : null);
    rows.add(row);
    byMessageId.put(r.messageId(), row);
    if (!m.idempotencyKey().isEmpty()) {
      byKey.put(r.sender() + "/" + m.idempotencyKey(), row);
    }
    return new Admission.Fresh(row.id);
  }

  private static Admission answeredOrNot(Row row) {
    return row.response != null ? new Admission.Answered(row.id, row.response) : new Admission.Unanswered(row.id);
  }

  @Override
  public synchronized void recordAnswer(long rowId, MessageRef ref, byte[] response, Instant now,
      MessageStore.Durability durability) {
    rows.get((int) rowId - 1).response = response;
    answers.add(new Answer(rowId, ref, response, durability));
  }

  @Override
  public synchronized void recordForwardFailure(long rowId, MessageRef ref, String why, Instant now) {
    rows.get((int) rowId - 1).lastError = why;
    failures.add(new Failure(rowId, ref, why));
  }

  @Override
  public synchronized void recordRejection(MessageRef ref, String why, Instant now) {
    rejections.add(new Rejection(ref, why));
  }

  synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  synchronized List<Answer> answers() {
    return List.copyOf(answers);
  }

  synchronized List<Failure> failures() {
    return List.copyOf(failures);
  }

  synchronized List<Rejection> rejections() {
    return List.copyOf(rejections);
  }

  /** How often the pipeline asked to admit a message, admitted or not. */
  synchronized int admitCalls() {
    return admitCalls;
  }

  /** Nothing was asked of the store at all: no admission, answer, failure or audited rejection. */
  synchronized boolean untouched() {
    return admitCalls == 0 && answers.isEmpty() && failures.isEmpty() && rejections.isEmpty();
  }
}
