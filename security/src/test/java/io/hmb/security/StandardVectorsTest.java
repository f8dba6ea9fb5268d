package io.hmb.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StandardVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void sm4BlockOfGbT32907AppendixA() {
    byte[] key = HEX.parseHex("0123456789abcdeffedcba9876543210");
    assertThat(HEX.formatHex(StandardVectors.sm4EncryptBlock(key, key))).isEqualTo("681edf34d206965e86b3e94f536e4246");
  }

  @Test
  void aKeyOrBlockOfTheWrongLengthIsRefused() {
    assertThatThrownBy(() -> StandardVectors.sm4EncryptBlock(new byte[15], new byte[16]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16-byte key");
    assertThatThrownBy(() -> StandardVectors.sm4EncryptBlock(new byte[16], new byte[32]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
