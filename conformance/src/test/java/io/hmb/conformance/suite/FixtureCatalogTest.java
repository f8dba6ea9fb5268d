package io.hmb.conformance.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The fixtures' catalogue and their documentation name the same participants. */
class FixtureCatalogTest {
  @Test
  void everyFixtureIsDocumentedAndCodesAreUnique() throws Exception {
    String doc = Files.readString(Path.of("../docs/conformance.md"), StandardCharsets.UTF_8);
    assertThat(FixtureCatalog.ALL).extracting(FixtureCatalog.Fixture::code).doesNotHaveDuplicates()
        .allSatisfy(code -> assertThat(doc).contains("| `" + code + "` |"));
    assertThat(FixtureCatalog.byCode(FixtureCatalog.UNREGISTERED).orElseThrow().registered()).isFalse();
    assertThat(FixtureCatalog.byCode(FixtureCatalog.SUSPENDED).orElseThrow().registered()).isTrue();
  }
}
