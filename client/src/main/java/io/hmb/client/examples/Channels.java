package io.hmb.client.examples;

import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;

/** The examples' one habit with channels: shut down, waiting a bounded time before forcing it. */
final class Channels {
  private Channels() {}

  static void shutdown(ManagedChannel channel) throws InterruptedException {
    if (!channel.shutdown().awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
