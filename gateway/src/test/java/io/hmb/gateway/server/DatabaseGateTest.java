package io.hmb.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.Participant;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gate's two doors: while the watch says the database is gone no handler runs; before it noticed, a
 * handler that fails on the database (an SQLException among the causes) still gets GATEWAY_UNAVAILABLE, not
 * gRPC's UNKNOWN, and nothing of the exception's text; any other failure is left alone.
 */
class DatabaseGateTest {
  private final DatabaseGate gate = new DatabaseGate(Duration.ofMillis(700));
  private volatile RuntimeException failure;
  private volatile int handled;
  private Server server;
  private ManagedChannel channel;

  private DirectoryServiceGrpc.DirectoryServiceBlockingStub start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    DirectoryServiceGrpc.DirectoryServiceImplBase service = new DirectoryServiceGrpc.DirectoryServiceImplBase() {
      @Override
      public void getParticipant(GetParticipantRequest request, StreamObserver<Participant> reply) {
        handled++;
        if (failure != null) {
          throw failure;
        }
        reply.onNext(Participant.newBuilder().setCode(request.getCode()).build());
        reply.onCompleted();
      }
    };
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(service, gate)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return DirectoryServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void release() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void refusesEveryCallWithoutRunningTheHandlerWhileTheDatabaseIsGone() throws Exception {
    var stub = start();
    gate.databaseReachable(false);
    assertUnavailable(catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.getParticipant(GetParticipantRequest.newBuilder().setCode("A").build())));
    assertThat(handled).isZero();
    gate.databaseReachable(true);
    assertThat(stub.getParticipant(GetParticipantRequest.newBuilder().setCode("A").build()).getCode()).isEqualTo("A");
  }

  @Test
  void aHandlerFailingOnTheDatabaseIsGatewayUnavailableNotUnknown() throws Exception {
    var stub = start();
    failure = new IllegalStateException("cannot load the participant registry",
        new SQLException("Connection to jdbc:postgresql://db.internal:5432/hmb?password=hunter2 refused"));
    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.getParticipant(GetParticipantRequest.newBuilder().setCode("A").build()));
    assertUnavailable(refused);
    assertThat(refused.getStatus().getDescription()).doesNotContain("jdbc").doesNotContain("hunter2")
        .doesNotContain("db.internal");
  }

  @Test
  void anyOtherFailureIsNotDressedUpAsTheDatabase() throws Exception {
    var stub = start();
    failure = new IllegalStateException("a bug");
    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.getParticipant(GetParticipantRequest.newBuilder().setCode("A").build()));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(Errors.reason(refused)).isEmpty();
  }

  private static void assertUnavailable(StatusRuntimeException refused) {
    assertThat(refused).isNotNull();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Errors.reason(refused)).contains(ErrorReason.GATEWAY_UNAVAILABLE);
    assertThat(Errors.retryDelay(refused)).contains(Duration.ofMillis(700));
    assertThat(refused.getStatus().getDescription()).isEqualTo(DatabaseGate.MESSAGE);
  }
}
