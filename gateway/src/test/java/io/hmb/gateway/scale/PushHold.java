package io.hmb.gateway.scale;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the first push from one node at the recipient until released, so the test knows that node is
 * in the middle of a push (its lease on the pair taken, the recipient's answer not yet committed) at
 * the moment it kills it.
 */
final class PushHold {
  private final String node;
  private final AtomicReference<String> heldMessageId = new AtomicReference<>();
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  PushHold(String node) {
    this.node = node;
  }

  /** Called by a recipient for each push; blocks the first one from the node until {@link #release}. */
  void maybeHold(String pushingNode, String messageId) throws InterruptedException {
    if (pushingNode.equals(node) && heldMessageId.compareAndSet(null, messageId)) {
      held.countDown();
      released.await(30, TimeUnit.SECONDS);
    }
  }

  /** The message id being held, once a push from the node arrived; null if none within the timeout. */
  String awaitHeld(Duration timeout) throws InterruptedException {
    return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? heldMessageId.get() : null;
  }

  void release() {
    released.countDown();
  }
}
