package io.hmb.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.Participant;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two real servers on loopback behind one round-robin channel: each answered call is counted for its node. */
class NodeCallsTest {
  private final List<Server> servers = new ArrayList<>();
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Server s : servers) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void countsTheCallsEachNodeAnsweredAndTellsTheCallerWhichOne() throws Exception {
    InetSocketAddress a = startNode("A");
    InetSocketAddress b = startNode("B");
    NodeCalls nodeCalls = new NodeCalls();
    channel = GatewayNodes.channelBuilder("localhost", List.of(a, b), InsecureChannelCredentials.create())
        .intercept(nodeCalls).build();
    DirectoryServiceGrpc.DirectoryServiceBlockingStub stub = DirectoryServiceGrpc.newBlockingStub(channel);
    stub.withDeadlineAfter(5, TimeUnit.SECONDS).getParticipant(GetParticipantRequest.getDefaultInstance());
    nodeCalls.takeCounts(); // the first call may come before both subchannels are ready

    for (int i = 0; i < 10; i++) {
      AtomicReference<InetSocketAddress> answeredBy = new AtomicReference<>();
      Participant answer = stub.withOption(NodeCalls.ANSWERED_BY, answeredBy)
          .withDeadlineAfter(5, TimeUnit.SECONDS).getParticipant(GetParticipantRequest.getDefaultInstance());
      assertThat(answeredBy.get()).as("call %d", i).isIn(a, b);
      assertThat(answer.getCode()).isEqualTo(answeredBy.get().equals(a) ? "A" : "B");
    }

    Map<InetSocketAddress, Long> counts = nodeCalls.counts();
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10);
    assertThat(counts).containsOnlyKeys(a, b);
    assertThat(counts.get(a)).isBetween(4L, 6L);
    assertThat(nodeCalls.takeCounts()).isEqualTo(counts);
    assertThat(nodeCalls.counts().values()).containsOnly(0L);
  }

  private InetSocketAddress startNode(String name) throws Exception {
    Server server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new DirectoryServiceGrpc.DirectoryServiceImplBase() {
          @Override
          public void getParticipant(GetParticipantRequest request, StreamObserver<Participant> reply) {
            reply.onNext(Participant.newBuilder().setCode(name).build());
            reply.onCompleted();
          }
        }).build().start();
    servers.add(server);
    return new InetSocketAddress("127.0.0.1", server.getPort());
  }
}
