package io.hmb.conformance.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulateCommandTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SimulateCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void withoutARoleItPrintsTheRoles() {
    Run r = run();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).contains("bureau", "insurer", "hospital");
  }

  @Test
  void eachRoleDocumentsItsOptions() {
    assertThat(run("bureau", "--help").out()).contains("--city", "--gateway", "--keys", "--listen", "--flaw", "--seed",
        "DOUBLE_DEDUCTION", "localhost:7443", "data/demo");
    assertThat(run("insurer", "--help").out()).contains("--enrol", "--co-insurer", "WRONG_PAYOUT");
    assertThat(run("hospital", "--help").out()).contains("--discharges", "--number");
  }

  @Test
  void refusesAnUnknownFlawAndAMissingCity() {
    assertThat(run("bureau", "--city", "210200", "--flaw", "BOGUS").exit()).isEqualTo(2);
    assertThat(run("bureau").err()).contains("--city");
  }

  @Test
  void missingKeysFailWithoutStartingAnything() {
    Run r = run("bureau", "--city", "210200", "--keys", "/nonexistent-hmb-keys");
    assertThat(r.exit()).isNotZero();
  }
}
