package io.hmb.conformance.sim;

import io.grpc.ManagedChannel;
import io.hmb.client.GatewayClient;
import java.util.concurrent.TimeUnit;

/**
 * One participant connected to the gateway: its material, its channel and its SDK client. Owns the
 * channel: {@link #close()} shuts it down.
 */
public final class GatewayConnection implements AutoCloseable {
  private final SimParticipant participant;
  private final ManagedChannel channel;
  private final GatewayClient client;

  GatewayConnection(SimParticipant participant, ManagedChannel channel) {
    this.participant = participant;
    this.channel = channel;
    this.client = GatewayClient.builder(participant.code()).channel(channel).signingKey(participant.signingKey()).build();
  }

  public SimParticipant participant() {
    return participant;
  }

  public String code() {
    return participant.code();
  }

  public GatewayClient client() {
    return client;
  }

  /** The participant's own channel, for calls the SDK rightly cannot make (the suite's hand-made envelopes). */
  public ManagedChannel channel() {
    return channel;
  }

  @Override
  public void close() throws InterruptedException {
    if (!channel.shutdown().awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
