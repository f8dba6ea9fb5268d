package io.hmb.gateway.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while a pass-through call waits at the recipient: the gateway drains, then records what was
 * in flight, then stops PostgreSQL. (zonky's own shutdown hook used to stop PostgreSQL first, and the row
 * stayed FORWARDING with no audit event.)
 */
class SigtermShutdownTest {
  static final String DALIAN = "210200";
  /** Registration reaches the child within its registry cache's 2 s; until then it refuses with these. */
  static final Set<ErrorReason> NOT_YET_KNOWN = Set.of(ErrorReason.SENDER_UNKNOWN, ErrorReason.RECIPIENT_UNKNOWN,
      ErrorReason.PRODUCT_UNKNOWN, ErrorReason.RECIPIENT_UNAVAILABLE);

  @TempDir Path dataDir;
  Process gateway;

  @AfterEach
  void killChild() throws Exception {
    GatewayProcess.killAndCleanUp(gateway, dataDir);
  }

  @Test
  void anInFlightCallIsRecordedBeforeTheDatabaseStops() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    gateway = GatewayProcess.launch(dataDir, port);
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestParty lead;
    TestParty bureau;
    TestEndpoint insurer;
    try (GatewayAdmin admin = GatewayAdmin.open(new GatewayConfig().dataDir(dataDir), Clock.systemUTC())) {
      lead = TestParty.register(admin, port, "INSURER-LEAD-210200", Role.ROLE_INSURER, DALIAN, Optional.empty());
      bureau = TestParty.register(admin, port, "BUREAU-210200", Role.ROLE_BUREAU, DALIAN, Optional.empty());
      insurer = new TestEndpoint(lead, admin.trustBundle());
      admin.setEndpoint(lead.code, Optional.of(insurer.address()));
      admin.addProduct(new Product("dalian-2025-basic", DALIAN, lead.code, LocalDate.of(2025, 11, 1),
          LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
    }
    insurer.onExchange(request -> {
      arrived.countDown();
      try {
        release.await(60, TimeUnit.SECONDS); // far past the child's 2 s shutdown grace
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("released");
    });
    insurer.start();

    AtomicReference<String> inFlight = new AtomicReference<>();
    List<String> tried = new ArrayList<>();
    Thread caller = new Thread(() -> {
      for (int attempt = 0; attempt < 300 && arrived.getCount() > 0; attempt++) {
        SealedEnvelope query = bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, DALIAN)
            .setProductCode("dalian-2025-basic"), CoverageQuery.getDefaultInstance(), lead);
        inFlight.set(messageId(query));
        try {
          EligibilityServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(30, TimeUnit.SECONDS)
              .checkCoverage(query);
        } catch (StatusRuntimeException e) {
          Optional<ErrorReason> reason = Errors.reason(e);
          tried.add(reason.map(Enum::name).orElse(e.getStatus().getCode().name()));
          if (reason.isEmpty() || !NOT_YET_KNOWN.contains(reason.get())) {
            return; // the SIGTERM ended the call that reached the insurer
          }
          try {
            Thread.sleep(100); // the child's registry snapshot is not refreshed yet: a client's retry delay
          } catch (InterruptedException stop) {
            return;
          }
        }
      }
    }, "caller");
    caller.start();
    assertThat(arrived.await(60, TimeUnit.SECONDS)).as("a call reached the insurer; refusals so far %s", tried).isTrue();

    gateway.destroy(); // SIGTERM
    assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).as("the gateway stopped").isTrue();
    release.countDown();
    caller.join(TimeUnit.SECONDS.toMillis(30));

    try (DatabaseConsole sql = DatabaseConsole.of(dataDir);
         Connection c = sql.connect();
         PreparedStatement s = c.prepareStatement("SELECT m.state, (SELECT count(*) FROM audit_event a "
             + "WHERE a.message_id = m.message_id AND a.event = 'FORWARD_FAILED') FROM message m WHERE m.message_id = ?")) {
      s.setString(1, inFlight.get());
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("the in-flight call's row").isTrue();
        assertThat(rs.getString(1)).as("state after SIGTERM").isEqualTo("FAILED");
        assertThat(rs.getInt(2)).as("FORWARD_FAILED audit events").isEqualTo(1);
      }
    }
    insurer.close();
    lead.close();
    bureau.close();
  }

  private static String messageId(SealedEnvelope envelope) {
    try {
      return io.hmb.api.v1.EnvelopeHeader.parseFrom(envelope.getHeader()).getMessageId();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
