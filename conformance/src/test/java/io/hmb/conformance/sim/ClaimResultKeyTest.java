package io.hmb.conformance.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.api.v1.ClaimResult;
import io.hmb.client.IdempotencyKeys;
import org.junit.jupiter.api.Test;

class ClaimResultKeyTest {
  @Test
  void aShortNameIsTheKeyAndALongOneIsHashedToAValidStableKey() {
    ClaimResult shortOne = ClaimResult.newBuilder().setClaimNumber("C-S-1").setVersion(1).build();
    assertThat(InsurerSimulator.claimResultKey(shortOne, "BUREAU-620600")).isEqualTo("claim:C-S-1:v1:BUREAU-620600");

    // The conformance suite's settlement ids are UUIDs: to a hospital the plain name is 68 characters.
    ClaimResult longOne = ClaimResult.newBuilder().setClaimNumber("C-S-0b8a5c7e-0c5e-4c9f-9d0e-3f1f2a6b7c8d").setVersion(1)
        .build();
    String key = InsurerSimulator.claimResultKey(longOne, "HOSPITAL-620600-01");
    assertThat(IdempotencyKeys.check(key)).startsWith("claim:").hasSize(54);
    assertThat(InsurerSimulator.claimResultKey(longOne, "HOSPITAL-620600-01")).isEqualTo(key);
    assertThat(InsurerSimulator.claimResultKey(longOne, "HOSPITAL-620600-02")).isNotEqualTo(key);
    assertThat(InsurerSimulator.claimResultKey(longOne.toBuilder().setVersion(2).build(), "HOSPITAL-620600-01"))
        .isNotEqualTo(key);
  }
}
