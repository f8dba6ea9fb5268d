package io.hmb.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboxSignalTest {
  private final OutboxSignal signal = new OutboxSignal();

  @Test
  void aMessageForAnInboxRecipientWakesItsStreamsButNotThePushWorkers() throws Exception {
    AtomicInteger streamWakes = new AtomicInteger();
    signal.listen("INSURER-CO-210200", counting(streamWakes, new AtomicInteger()));
    CountDownLatch pushWorkerWoke = new CountDownLatch(1);
    Thread pushWorker = new Thread(() -> {
      try {
        signal.awaitWork(TimeUnit.SECONDS.toMillis(30));
        pushWorkerWoke.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    pushWorker.start();
    try {
      signal.messageAccepted("INSURER-CO-210200", false);
      assertThat(streamWakes).hasValue(1);
      // Still waiting: nothing for it to push.
      assertThat(pushWorkerWoke.await(300, TimeUnit.MILLISECONDS)).isFalse();

      signal.messageAccepted("HOSPITAL-210200-01", true);
      assertThat(pushWorkerWoke.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(streamWakes).hasValue(1); // another recipient's message wakes no stream of this one
    } finally {
      pushWorker.interrupt();
      pushWorker.join();
    }
  }

  @Test
  void aPushedMessageAcceptedWhileNoWorkerWaitedIsNotMissed() throws Exception {
    signal.messageAccepted("HOSPITAL-210200-01", true);
    long start = System.nanoTime();
    signal.awaitWork(TimeUnit.SECONDS.toMillis(30));
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(10);
  }

  @Test
  void roomInFlightWakesOnlyThatRecipientsStreamsAndIsToldFromAMessage() {
    AtomicInteger mine = new AtomicInteger();
    AtomicInteger mineMessages = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    OutboxSignal.InboxWake wakeMine = counting(mineMessages, mine);
    signal.listen("INSURER-CO-210200", wakeMine);
    signal.listen("INSURER-CO-620600", counting(new AtomicInteger(), other));
    signal.inboxRoomFreed("INSURER-CO-210200", 1);
    assertThat(mine).hasValue(1);
    assertThat(mineMessages).hasValue(0);
    assertThat(other).hasValue(0);
    signal.unlisten("INSURER-CO-210200", wakeMine);
    signal.inboxRoomFreed("INSURER-CO-210200", 1);
    assertThat(mine).hasValue(1);
  }

  /** A stream's wake-ups, counted: messages accepted into {@code messages}, room freed into {@code room}. */
  private static OutboxSignal.InboxWake counting(AtomicInteger messages, AtomicInteger room) {
    return new OutboxSignal.InboxWake() {
      @Override
      public void messageAccepted() {
        messages.incrementAndGet();
      }

      @Override
      public void roomFreed(int acknowledged) {
        room.incrementAndGet();
      }
    };
  }
}
