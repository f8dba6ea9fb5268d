package io.hmb.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParticipantCodeTest {
  @Test
  void ordinaryCodesPass() {
    for (String code : new String[] {"BUREAU-210200", "HOSPITAL-210200-01", "insurer.co_1", "A", "x".repeat(64)}) {
      assertThat(ParticipantCode.require(code)).isEqualTo(code);
    }
  }

  @Test
  void separatorsControlCharactersAndDotsAloneAreRefusedWithoutEchoingThem() {
    for (String code : new String[] {"../../x", "a/b", "a\\b", "BUREAU\n210200", "with space", "", ".", "..",
        "x".repeat(65), "医保"}) {
      assertThatThrownBy(() -> ParticipantCode.require(code)).as(code)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a participant code")
          .hasMessageNotContaining("\n210200");
    }
    assertThatThrownBy(() -> ParticipantCode.require(null)).hasMessageContaining("(none)");
  }
}
