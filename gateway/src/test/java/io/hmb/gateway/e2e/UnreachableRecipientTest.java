package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestParty;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls to a recipient whose endpoint refuses connections wait for a fresh connection attempt without
 * holding a handler thread: an unrelated participant's directory call stays fast while 48 of them are in
 * flight (each used to block one of the 16 handler threads for up to 2 s: 5.9 s for a GetParticipant).
 */
class UnreachableRecipientTest {
  @TempDir Path dataDir;

  @Test
  void callsToADeadEndpointDoNotStarveOtherCallers() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort(); // closed again: connections to it are refused
    }
    try (Gateway gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(-1).dataDir(dataDir), Clock.systemUTC());
         TestParty bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
         TestParty lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200",
             Optional.of("localhost:" + deadPort));
         TestParty hospital = TestParty.register(gateway, "HOSPITAL-A-210200", Role.ROLE_HOSPITAL, "210200", Optional.empty())) {
      gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code, LocalDate.of(2025, 11, 1),
          LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
      // The first call finds the endpoint down; the channel is then in TRANSIENT_FAILURE, the case that waited.
      assertThat(reason(() -> EligibilityServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .checkCoverage(query(bureau, lead)))).isEqualTo(ErrorReason.RECIPIENT_UNAVAILABLE);

      int calls = 48;
      CountDownLatch answered = new CountDownLatch(calls);
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      for (int i = 0; i < calls; i++) {
        EligibilityServiceGrpc.newStub(bureau.channel).withDeadlineAfter(20, TimeUnit.SECONDS)
            .checkCoverage(query(bureau, lead), new StreamObserver<>() {
              @Override
              public void onNext(SealedEnvelope value) {}

              @Override
              public void onError(Throwable t) {
                failures.add(t);
                answered.countDown();
              }

              @Override
              public void onCompleted() {
                answered.countDown();
              }
            });
      }
      long start = System.nanoTime();
      DirectoryServiceGrpc.newBlockingStub(hospital.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .getParticipant(GetParticipantRequest.newBuilder().setCode(bureau.code).build());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(answered.await(30, TimeUnit.SECONDS)).as("every call to the dead endpoint was answered").isTrue();
      assertThat(took).as("an unrelated GetParticipant while 48 calls wait for a dead endpoint")
          .isLessThan(Duration.ofMillis(1500));
      // Each a definite answer: the recipient is unavailable, or (over the caller's share of calls in flight,
      // GatewayConfig.DEFAULT_MAX_PASS_THROUGH_PER_SENDER) refused before it was forwarded.
      assertThat(failures).hasSize(calls).allSatisfy(t -> assertThat(Errors.reason(t).orElseThrow())
          .isIn(ErrorReason.RECIPIENT_UNAVAILABLE, ErrorReason.RATE_LIMITED));
      assertThat(failures).anySatisfy(t -> assertThat(Errors.reason(t)).contains(ErrorReason.RECIPIENT_UNAVAILABLE));
    }
  }

  private static SealedEnvelope query(TestParty bureau, TestParty lead) {
    Person person = Person.newBuilder().setCertType("01").setCertNumber("210202198001011234").setName("李四").build();
    return bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, "210200").setProductCode("dalian-2025-basic"),
        CoverageQuery.newBuilder().setPerson(person).build(), lead);
  }

  private static ErrorReason reason(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      return Errors.reason(e).orElseThrow();
    }
    throw new AssertionError("answered");
  }
}
