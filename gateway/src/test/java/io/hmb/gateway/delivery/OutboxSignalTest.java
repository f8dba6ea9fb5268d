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
    signal.listen("INSURER-CO-210200", streamWakes::incrementAndGet);
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
  void roomInFlightWakesOnlyThatRecipientsStreams() {
    AtomicInteger mine = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    Runnable wakeMine = mine::incrementAndGet;
    signal.listen("INSURER-CO-210200", wakeMine);
    signal.listen("INSURER-CO-620600", other::incrementAndGet);
    signal.inboxHasWork("INSURER-CO-210200");
    assertThat(mine).hasValue(1);
    assertThat(other).hasValue(0);
    signal.unlisten("INSURER-CO-210200", wakeMine);
    signal.inboxHasWork("INSURER-CO-210200");
    assertThat(mine).hasValue(1);
  }
}
