package io.hmb.gateway.scale;

import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.AcknowledgeRequest;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.SubscribeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A co-insurer pulling its inbox as a firewalled participant does: one Subscribe stream on each node,
 * acknowledgements in batches over the round-robin channel (any node records them), and a stream that
 * breaks (its node died) opened again over the round-robin channel, which only picks live nodes.
 */
final class InboxReader implements AutoCloseable {
  private static final int MAX_IN_FLIGHT = 200;
  private static final long ACK_EVERY_MS = 10;
  private static final long RESUBSCRIBE_AFTER_MS = 100;

  private final NodeChannels channels;
  private final DeliveryLedger ledger;
  private final ScheduledExecutorService scheduler;
  private final Queue<String> toAcknowledge = new ConcurrentLinkedQueue<>();
  private final List<Context.CancellableContext> streams = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  InboxReader(NodeChannels channels, DeliveryLedger ledger, ScheduledExecutorService scheduler) {
    this.channels = channels;
    this.ledger = ledger;
    this.scheduler = scheduler;
  }

  void start(NodePorts nodes) {
    nodes.both().forEach(port -> subscribe(channels.pinnedTo(port)));
    scheduler.scheduleWithFixedDelay(this::acknowledge, ACK_EVERY_MS, ACK_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  private void subscribe(Channel channel) {
    Context.CancellableContext stream = Context.current().withCancellation();
    streams.add(stream);
    stream.run(() -> DeliveryServiceGrpc.newStub(channel).subscribe(
        SubscribeRequest.newBuilder().setMaxInFlight(MAX_IN_FLIGHT).build(), new StreamObserver<>() {
          @Override
          public void onNext(Delivery d) {
            ledger.record(d, "inbox"); // a redelivery is acknowledged again, not processed again
            toAcknowledge.add(d.getMessageId());
          }

          @Override
          public void onError(Throwable t) {
            reopen(stream);
          }

          @Override
          public void onCompleted() {
            reopen(stream);
          }
        }));
  }

  private void reopen(Context.CancellableContext broken) {
    streams.remove(broken);
    if (!closed.get()) {
      scheduler.schedule(() -> subscribe(channels.roundRobin), RESUBSCRIBE_AFTER_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** Sends what arrived since the last pass; a batch that fails is kept for the next pass. */
  private void acknowledge() {
    List<String> batch = new ArrayList<>();
    for (String id; batch.size() < MAX_IN_FLIGHT && (id = toAcknowledge.poll()) != null; ) {
      batch.add(id);
    }
    if (batch.isEmpty()) {
      return;
    }
    try {
      DeliveryServiceGrpc.newBlockingStub(channels.roundRobin).withDeadlineAfter(3, TimeUnit.SECONDS)
          .acknowledge(AcknowledgeRequest.newBuilder().addAllMessageIds(batch).build());
    } catch (RuntimeException failed) {
      toAcknowledge.addAll(batch); // unacknowledged messages come back after the ack timeout anyway
    }
  }

  @Override
  public void close() {
    closed.set(true);
    streams.forEach(s -> s.cancel(null));
  }
}
