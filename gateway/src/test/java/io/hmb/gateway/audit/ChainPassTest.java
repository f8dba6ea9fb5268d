package io.hmb.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChainPassTest {
  @Test
  void onlyAPassThatLinkedSomethingAsksForAnotherRightAway() {
    assertThat(ChainPass.of(3)).isEqualTo(new ChainPass(ChainPass.Outcome.LINKED, 3));
    assertThat(ChainPass.of(3).linkedAny()).isTrue();
    assertThat(ChainPass.of(0)).isEqualTo(ChainPass.CAUGHT_UP);
    assertThat(ChainPass.CAUGHT_UP.linkedAny()).isFalse();
    assertThat(ChainPass.LOCKED_ELSEWHERE.linkedAny()).isFalse();
    assertThat(ChainPass.LOCKED_ELSEWHERE).isNotEqualTo(ChainPass.CAUGHT_UP);
  }

  @Test
  void anOutcomeAndItsCountAgree() {
    assertThatThrownBy(() -> new ChainPass(ChainPass.Outcome.LINKED, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChainPass(ChainPass.Outcome.CAUGHT_UP, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChainPass(ChainPass.Outcome.LOCKED_ELSEWHERE, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
