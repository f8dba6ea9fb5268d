package io.hmb.gateway.delivery;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import io.grpc.Status;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.Acknowledgements;
import io.hmb.security.EnvelopeVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes store-and-forward messages to recipients that registered an endpoint, in acceptance order
 * per sender-recipient pair. The endpoint must present the recipient's identity (the {@link Forwarder}'s
 * credentials), and the message is ACKNOWLEDGED only on a receipt carrying the recipient's signed
 * acknowledgement ({@link Acknowledgements}: verified against the recipient's live keys, naming this
 * message, addressed to its sender); a receipt without one, or one that does not verify, is a failed
 * push like an unreachable endpoint. A failure is retried with backoff; after the last attempt the message is dead-lettered (re-drivable). A
 * message can be pushed more than once (a crash between the answer and our commit), which is why
 * Delivery carries the attempt number and recipients deduplicate by message_id.
 */
public final class PushWorker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(PushWorker.class);

  private final DeliveryQueue outbox;
  private final Forwarder forwarder;
  private final OutboxSignal signal;
  private final DeliveryPolicy policy;
  private final Clock clock;
  private final EnvelopeVerifier acknowledgements;
  private final AtomicBoolean running = new AtomicBoolean(true);

  /**
   * @param acknowledgements verifies recipients' signed acknowledgements against the registry's live keys
   */
  public PushWorker(DeliveryQueue outbox, Forwarder forwarder, EnvelopeVerifier acknowledgements, OutboxSignal signal,
      DeliveryPolicy policy, Clock clock) {
    this.outbox = outbox;
    this.forwarder = forwarder;
    this.acknowledgements = acknowledgements;
    this.signal = signal;
    this.policy = policy;
    this.clock = clock;
  }

  @Override
  public void run() {
    while (running.get()) {
      try {
        boolean worked = false;
        for (DeliveryQueue.DuePair pair : outbox.duePushPairs(clock.instant(), 64)) {
          worked |= deliverPair(pair);
        }
        if (!worked) {
          signal.awaitWork(policy.pollInterval().toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        log.warn("outbox pass failed error={}; retrying after the poll interval", e.toString());
        sleepQuietly();
      }
    }
  }

  /** Stop after the current message; claimed leftovers return when their lease ends. */
  public void stop() {
    running.set(false);
  }

  private boolean deliverPair(DeliveryQueue.DuePair pair) throws Exception {
    Instant now = clock.instant();
    Instant leaseUntil = now.plus(policy.lease());
    List<ClaimedMessage> batch = outbox.claimPair(pair.sender(), pair.recipient(), now, leaseUntil, policy.batchSize());
    for (int i = 0; i < batch.size() && running.get(); i++) {
      ClaimedMessage m = batch.get(i);
      if (clock.instant().plus(policy.pushTimeout()).isAfter(leaseUntil)) {
        leaseUntil = clock.instant().plus(policy.lease());
        outbox.extendLease(batch.subList(i, batch.size()), leaseUntil);
      }
      String failure = push(pair.recipient(), pair.endpoint(), m);
      if (failure == null) {
        outbox.acknowledged(m, clock.instant());
        continue;
      }
      boolean dead = m.attempts() >= policy.maxAttempts() || m.expireAt().isBefore(clock.instant());
      Instant next = clock.instant().plus(policy.backoff(m.attempts()));
      outbox.failed(m, batch.subList(i + 1, batch.size()), failure, dead, next, clock.instant());
      log.info("delivery failed messageId={} recipient={} attempt={} deadLettered={} error={}",
          m.ref().messageId(), pair.recipient(), m.attempts(), dead, failure);
      break;
    }
    return !batch.isEmpty();
  }

  /** Null on success, otherwise what went wrong. */
  private String push(String recipient, String endpoint, ClaimedMessage m) {
    try {
      Delivery delivery = Delivery.newBuilder()
          .setEnvelope(SealedEnvelope.parseFrom(ByteString.copyFrom(m.envelope())))
          .setMessageId(m.ref().messageId())
          .setAttempt(m.attempts())
          .setAcceptTime(Timestamps.fromMillis(m.acceptedAt().toEpochMilli()))
          .build();
      DeliveryReceipt receipt = forwarder.deliver(recipient, endpoint, delivery, policy.pushTimeout());
      if (!receipt.getMessageId().equals(m.ref().messageId())) {
        return "receipt refused: it names another message";
      }
      Acknowledgements.check(acknowledgements, receipt.getAcknowledgement(), m.ref().messageId(), m.ref().sender(),
          recipient);
      return null;
    } catch (Acknowledgements.Refused e) {
      return "receipt refused: " + e.getMessage();
    } catch (Exception e) {
      Status status = Status.fromThrowable(e);
      return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(policy.pollInterval().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
