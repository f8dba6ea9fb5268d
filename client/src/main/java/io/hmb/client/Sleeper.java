package io.hmb.client;

import java.time.Duration;

/** Waits between attempts; a seam so tests can record the waits instead of sleeping. */
@FunctionalInterface
interface Sleeper {
  Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

  void sleep(Duration duration) throws InterruptedException;
}
