package io.hmb.agent.receive;

import io.hmb.agent.store.DurableQueue;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands received messages to the local system's webhook: one thread, the oldest pending message first,
 * POSTed as stored with {@code Hmb-Message-Id}, {@code Hmb-Timestamp} and {@code Hmb-Signature}. A 2xx marks
 * it done (durably) and the next one goes; anything else, a timeout or no connection is retried with
 * backoff ({@link #INITIAL_BACKOFF} doubling to {@link #MAX_BACKOFF}), for ever, and holds the messages
 * behind it: the local system sees them in the order the agent received them. A kill between the local
 * system's 2xx and the mark posts that one message again after the restart, with the same
 * {@code Hmb-Message-Id}; the local system deduplicates by it. Logs carry the message id only.
 */
final class WebhookDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  /** Longest one webhook call may take, answer included. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

  private final Inbound inbound;
  private final URI url;
  private final SignedPost post;
  private final Duration callTimeout;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Thread thread;

  WebhookDispatcher(Inbound inbound, URI url, SignedPost post) {
    this(inbound, url, post, CALL_TIMEOUT, INITIAL_BACKOFF, MAX_BACKOFF);
  }

  WebhookDispatcher(Inbound inbound, URI url, SignedPost post, Duration callTimeout, Duration initialBackoff,
      Duration maxBackoff) {
    this.inbound = inbound;
    this.url = url;
    this.post = post;
    this.callTimeout = callTimeout;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.thread = new Thread(this::run, "hmb-agent-webhook");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    Duration backoff = initialBackoff;
    String failing = null;
    try {
      while (stopping.getCount() > 0) {
        String outcome;
        String key;
        try {
          Optional<DurableQueue.Entry> head = inbound.oldest();
          if (head.isEmpty()) {
            inbound.awaitAny(IDLE_CHECK);
            continue;
          }
          DurableQueue.Entry entry = head.get();
          key = entry.key();
          outcome = deliver(entry);
          if (outcome == null) {
            inbound.acknowledge(key);
            failing = null;
            backoff = initialBackoff;
            continue;
          }
        } catch (RuntimeException e) {
          // The store failed (disk full, a record unreadable): wait and try again, as for a refusal.
          key = failing != null ? failing : "-";
          outcome = "the agent's store failed: " + e.getClass().getSimpleName();
        }
        if (!key.equals(failing)) {
          backoff = initialBackoff;
        }
        failing = key;
        LOG.warn("webhook did not take messageId={} ({}); again in {} ms", key, outcome, backoff.toMillis());
        if (stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      }
    } catch (InterruptedException e) {
      // close(): the message in hand stays pending and goes first after the restart
    }
  }

  /** @return null when the local system took it (2xx), else why not, for the log (no payload) */
  private String deliver(DurableQueue.Entry entry) throws InterruptedException {
    try {
      SignedPost.Reply reply = post.post(url, entry.key(), entry.record(), callTimeout);
      return reply.ok() ? null : "HTTP " + reply.status();
    } catch (TimeoutException e) {
      return "no answer within " + callTimeout.toMillis() + " ms";
    } catch (IOException e) {
      return "unreachable: " + e.getClass().getSimpleName();
    }
  }

  @Override
  public void close() {
    stopping.countDown();
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
