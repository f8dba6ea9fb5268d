package io.hmb.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.support.DatabaseConsole;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.audit.AuditVerification;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.Product;
import io.hmb.gateway.support.TestEndpoint;
import io.hmb.gateway.support.TestParty;
import io.hmb.testing.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail after real traffic: complete, chained, append-only, free of personal data, tamper-evident. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTrailEndToEndTest {
  static final String CERTNO = "210202198001011234";
  static final String NAME = "李四";

  @TempDir static Path dataDir;
  static Gateway gateway;
  static DatabaseConsole sql;
  static TestParty bureau;
  static TestParty lead;
  static TestEndpoint leadEndpoint;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(new GatewayConfig().port(0).metricsPort(0).dataDir(dataDir), Clock.systemUTC());
    sql = DatabaseConsole.of(dataDir);
    lead = TestParty.register(gateway, "INSURER-LEAD-210200", Role.ROLE_INSURER, "210200", Optional.empty());
    leadEndpoint = new TestEndpoint(lead, gateway);
    gateway.admin().setEndpoint(lead.code, Optional.of(leadEndpoint.address()));
    bureau = TestParty.register(gateway, "BUREAU-210200", Role.ROLE_BUREAU, "210200", Optional.empty());
    gateway.admin().addProduct(new Product("dalian-2025-basic", "210200", lead.code,
        LocalDate.of(2025, 11, 1), LocalDate.of(2026, 10, 31), List.of(new Product.Member(lead.code, 10000))));
    leadEndpoint.onExchange(request -> {
      try {
        var opened = lead.open(request, bureau, CoverageQuery.parser());
        return lead.seal(lead.header(MessageType.MESSAGE_TYPE_COVERAGE_DECISION, bureau, "210200")
            .setCorrelationId(opened.header().messageId()), CoverageDecision.newBuilder().setCovered(true).build(), bureau);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    leadEndpoint.start();
    Person person = Person.newBuilder().setCertType("01").setCertNumber(CERTNO).setName(NAME).build();
    List<String> settlements = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      EligibilityServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS).checkCoverage(
          bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, lead, "210200"),
              CoverageQuery.newBuilder().setPerson(person).build(), lead));
      settlements.add(SettlementServiceGrpc.newBlockingStub(bureau.channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .submitSettlement(bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, lead, "210200")
              .setIdempotencyKey("a-" + i), SettlementData.newBuilder().setPerson(person).setSettlementId("S" + i).build(),
              lead)).getMessageId());
    }
    Await.until("three settlements at the insurer", () -> leadEndpoint.processed.size() == 3);
    // The insurer has them before the gateway has committed their acknowledgement: wait for that too.
    Await.until("the acknowledgements of the three settlements in the audit trail", () -> settlements.stream()
        .allMatch(id -> CoreEndToEndTestAudit.events(gateway, id).contains("ACKNOWLEDGED")));
    gateway.admin().verifyAudit(); // links everything so far
  }

  @AfterAll
  static void stop() throws Exception {
    leadEndpoint.close();
    bureau.close();
    lead.close();
    sql.close();
    gateway.close();
  }

  @Test
  @Order(1)
  void everyStateChangeIsChainedAndTheChainVerifies() throws Exception {
    AuditVerification v = gateway.admin().verifyAudit();
    assertThat(v.firstBreak()).isEmpty();
    // 3 x (FORWARDED, ANSWERED) + 3 x (ACCEPTED, ACKNOWLEDGED)
    assertThat(v.chainedEvents()).isEqualTo(12);
    assertThat(v.unchainedEvents()).isZero();
  }

  @Test
  @Order(2)
  void auditHoldsNoPersonalData() throws Exception {
    try (Connection c = sql.connect();
         ResultSet rs = c.createStatement().executeQuery("SELECT audit_event::text FROM audit_event")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        assertThat(rs.getString(1)).doesNotContain(CERTNO).doesNotContain(NAME);
      }
      assertThat(rows).isEqualTo(12);
    }
  }

  @Test
  @Order(3)
  void auditRowsCannotBeUpdatedOrDeleted() throws Exception {
    try (Connection c = sql.connect(); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_event SET detail = 'x'"))
          .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_chain"))
          .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
    }
  }

  @Test
  @Order(4)
  void aTamperedRowIsDetectedAndNamed() throws Exception {
    String victim;
    try (Connection c = sql.connect(); Statement s = c.createStatement()) {
      // What an attacker with database superuser rights could do: switch the guard off and edit a row.
      s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
      try (ResultSet rs = s.executeQuery("UPDATE audit_event SET detail = 'nothing to see' "
          + "WHERE id = (SELECT event_id FROM audit_chain WHERE position = 5) RETURNING message_id")) {
        rs.next();
        victim = rs.getString(1);
      }
      s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
    }
    AuditVerification v = gateway.admin().verifyAudit();
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBreak().orElseThrow()).startsWith("position 5 (audit event").contains(victim).contains("was altered");
    assertThat(v.chainedEvents()).isEqualTo(4);
  }
}
