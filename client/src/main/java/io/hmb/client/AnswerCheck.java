package io.hmb.client;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.EnvelopeException;
import io.hmb.security.KeyRing;
import io.hmb.security.OpenedMessage;
import io.hmb.security.Opener;
import io.hmb.security.PublicKeyResolver;
import io.hmb.security.replay.InMemoryReplayGuard;
import io.hmb.security.replay.ReplayGuard;
import java.time.Clock;
import java.util.List;

/**
 * Opens a pass-through answer and checks that it answers <em>this</em> request: signed by the
 * recipient, of the expected answer type, and correlated with one of this call's attempts.
 *
 * <p>Replay: answers to requests without an idempotency key go through an {@link InMemoryReplayGuard}.
 * Answers to keyed requests do not, on purpose: the gateway's exactly-once store hands the <em>same</em>
 * signed answer to every retry of the operation, so seeing it twice is the protocol working. For those
 * the binding is the key instead: the answer's correlation_id names an attempt of this call, or the
 * recipient signed the operation's key into the answer (header.idempotency_key, or for deduction
 * receipts the echoed DeductionReceipt.idempotency_key).
 */
final class AnswerCheck {
  /** Answers remembered for replay checks; answers live minutes, so this is plenty. */
  static final int REPLAY_CAPACITY = 100_000;

  private final KeyRing keys;
  private final PublicKeyResolver senders;
  private final Opener fresh;
  private final Opener keyed;

  AnswerCheck(String participant, KeyRing keys, PublicKeyResolver senders, Clock clock) {
    this.keys = keys;
    this.senders = senders;
    this.fresh = Opener.builder(participant).clock(clock)
        .replayGuard(new InMemoryReplayGuard(clock, REPLAY_CAPACITY)).build();
    this.keyed = Opener.builder(participant).clock(clock).replayGuard(ReplayGuard.deferredToCaller()).build();
  }

  <T extends MessageLite> Answer<T> open(SealedEnvelope answer, List<Sealed> attempts, Parser<T> parser) {
    Sealed last = attempts.get(attempts.size() - 1);
    EnvelopeHeader request = last.header();
    boolean hasKey = !request.getIdempotencyKey().isEmpty();
    OpenedMessage<T> opened;
    try {
      opened = (hasKey ? keyed : fresh).open(answer, keys, senders, parser);
    } catch (EnvelopeException e) {
      throw GatewayException.fromEnvelope(e, GatewayException.Origin.ANSWER);
    } catch (GatewayException directoryUnreachable) {
      throw GatewayException.whileVerifyingAnswer(directoryUnreachable);
    }
    var h = opened.header();
    if (!h.sender().equals(request.getRecipient())) {
      throw GatewayException.answerMismatch("sender");
    }
    if (h.messageType() != MessageCatalog.answerTo(request.getMessageType())) {
      throw GatewayException.answerMismatch("message_type");
    }
    boolean correlated = attempts.stream().anyMatch(a -> a.messageId().equals(h.correlationId()));
    if (!correlated && !(hasKey && sameOperation(request.getIdempotencyKey(), h.idempotencyKey(), opened.payload()))) {
      throw GatewayException.answerMismatch("correlation_id");
    }
    return new Answer<>(opened.payload(), h.messageId(), h.correlationId(), h.sender(), last.messageId());
  }

  private static boolean sameOperation(String key, String answerKey, MessageLite payload) {
    if (key.equals(answerKey)) {
      return true;
    }
    return payload instanceof DeductionReceipt r && key.equals(r.getIdempotencyKey());
  }
}
