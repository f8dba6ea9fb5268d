package io.hmb.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.adapters.engine.ClaimType;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.cli.Hmb;
import io.hmb.conformance.sim.CityProfile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./hmb demo} with a few households per city: a clean run through a real gateway. */
class DemoCommandTest {
  private static final Set<ClaimType> DRUGS =
      EnumSet.of(ClaimType.SPECIAL_DRUG, ClaimType.HIGH_COST_DRUG, ClaimType.SPECIAL_EFFECT_DRUG);

  @TempDir Path dataDir;

  @Test
  void playsAPolicyYearInEachCityWithoutFailures() throws Exception {
    CommandLine cli = Hmb.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));

    int exit = cli.execute("demo", "--households", "4", "--seed", "7", "--data-dir", dataDir.toString());

    String text = out.toString();
    assertThat(exit).as(text).isZero();
    for (CityProfile city : List.of(CityProfile.of(CityProfile.DALIAN), CityProfile.of(CityProfile.LIAOCHENG),
        CityProfile.of(CityProfile.WUWEI))) {
      String name = city.name();
      String[] row = Arrays.stream(text.split("\\R")).filter(l -> l.startsWith(name + " ")).findFirst()
          .orElseThrow(() -> new AssertionError("no summary row for " + name + " in\n" + text)).trim().split("\\s+");
      assertThat(row).as(text).hasSize(12);
      int stays = Integer.parseInt(row[5]);
      int drugs = Integer.parseInt(row[6]);
      int claims = Integer.parseInt(row[7]);
      assertThat(Integer.parseInt(row[1])).as("enrolled in " + name).isPositive();
      assertThat(stays).as("stays in " + name).isPositive();
      if (coversSpecialDrugs(city)) {
        assertThat(drugs).as("special-drug purchases in " + name + "\n" + text).isPositive();
      } else {
        assertThat(drugs).as("special-drug purchases in " + name + ", whose products cover none").isZero();
      }
      assertThat(claims).as("every stay and purchase of a policy holder is a claim, in " + name).isEqualTo(stays + drugs);
      assertThat(Integer.parseInt(row[10])).as("messages in " + name).isPositive();
      assertThat(row[11]).as("failures in " + name).isEqualTo("0");
    }
    assertThat(text).contains("[Dalian] ", "[Liaocheng] ", "[Wuwei] ", "No failures.")
        .contains("reversed one premium", "special-drug purchases").doesNotContain("FAILURE");
    assertThat(Files.exists(dataDir.resolve("demo"))).isTrue();
  }

  /** Read from the product files, not from the simulators: some liability of a city product pays for drugs. */
  private static boolean coversSpecialDrugs(CityProfile city) {
    ProductCatalog catalog = ProductCatalog.shipped();
    return city.products().stream().flatMap(p -> catalog.get(p).liabilities().stream())
        .anyMatch(l -> l.claimTypes().value().stream().anyMatch(DRUGS::contains));
  }
}
