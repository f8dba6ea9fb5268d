package io.hmb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's first command is {@code ./hmb serve}, which builds the jar on first use. Gateway and cli tests
 * depend on client's test-jar (io.hmb.testing), so a build that skips compiling tests
 * ({@code -Dmaven.test.skip=true}) cannot resolve the reactor and the command fails on a fresh clone.
 */
class LauncherTest {
  @Test
  void theLauncherBuildsTheTestJarsItsReactorNeeds() throws Exception {
    String launcher = Files.readString(Path.of("../hmb"), StandardCharsets.UTF_8);
    assertThat(launcher).contains("-DskipTests").doesNotContain("maven.test.skip");
    assertThat(Files.readString(Path.of("../gateway/pom.xml"), StandardCharsets.UTF_8)).contains("<type>test-jar</type>");
  }
}
