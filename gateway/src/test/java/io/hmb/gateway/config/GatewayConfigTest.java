package io.hmb.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  @Test
  void defaultsAreValid() {
    assertThat(new GatewayConfig().problems()).isEmpty();
  }

  @Test
  void collectsEveryProblemWithExactMessages() {
    GatewayConfig config = new GatewayConfig()
        .port(70000)
        .jdbcUrl("jdbc:mysql://db/hmb?password=secret")
        .maxEnvelopeBytes(10)
        .allowedClockSkew(Duration.ofHours(1));
    assertThat(config.problems()).containsExactly(
        "port must be 0 (any free port) to 65535, was 70000",
        "jdbcUrl must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), was jdbc:mysql://db/hmb?password=****",
        "maxEnvelopeBytes must be 1 KiB to 64 MiB, was 10",
        "allowedClockSkew must be 0 to 15 minutes, was PT1H");
    assertThatThrownBy(config::validate).hasMessageStartingWith("invalid gateway configuration: port must be");
  }

  @Test
  void databaseSocketTimeoutIsWholeSecondsTheDriverCanTake() {
    String problem = "dbSocketTimeout must be whole seconds from 1 s to 1 h (the driver counts seconds), was ";
    assertThat(new GatewayConfig().dbSocketTimeout(Duration.ofMillis(1500)).problems()).containsExactly(problem + "PT1.5S");
    assertThat(new GatewayConfig().dbSocketTimeout(Duration.ZERO).problems()).containsExactly(problem + "PT0S");
    assertThat(new GatewayConfig().dbSocketTimeout(Duration.ofSeconds(3)).problems()).isEmpty();
    assertThat(new GatewayConfig().database().socketTimeout()).isEqualTo(GatewayConfig.DEFAULT_DB_SOCKET_TIMEOUT);
  }

  @Test
  void forwardMarginIsCheckedAgainstTheLongestDeadline() {
    GatewayConfig config = new GatewayConfig().maxCallDeadline(Duration.ofSeconds(1))
        .forwardMargin(new io.hmb.gateway.delivery.ForwardMargin(0.1, Duration.ofMillis(50), Duration.ofSeconds(1)));
    assertThat(config.problems())
        .containsExactly("forwardMargin.ceiling must be less than maxCallDeadline (PT1S), was PT1S");
    assertThat(new GatewayConfig().describe()).containsEntry("forwardMargin", "10.0% of the time left, 50 ms to 1000 ms");
  }

  @Test
  void credentialsWithoutUrlAreRefused() {
    assertThat(new GatewayConfig().jdbcUser("hmb").problems())
        .containsExactly("jdbcUser and jdbcPassword apply only with jdbcUrl");
  }

  @Test
  void sealedConfigRefusesChangesAndSaysWhatToDo() {
    GatewayConfig config = new GatewayConfig().seal();
    assertThatThrownBy(() -> config.port(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the gateway configuration is sealed once the server starts; stop the server, change the setting and start again");
  }

  @Test
  void describeMasksThePassword() {
    GatewayConfig config = new GatewayConfig()
        .jdbcUrl("jdbc:postgresql://db/hmb?user=hmb&password=topsecret").jdbcUser("hmb").jdbcPassword("pw");
    assertThat(config.describe().toString()).doesNotContain("topsecret").doesNotContain("=pw")
        .contains("password=****").contains("jdbcPassword=****");
  }
}
