package io.hmb.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** The SM3 primitive the gateway uses: known answers, the field encoding, and its refusals. */
class Sm3Test {

  private static byte[] bouncyCastleSm3(byte[] in) {
    SM3Digest d = new SM3Digest();
    d.update(in, 0, in.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  @Test
  void knownAnswersOfGbT32905() {
    assertThat(Hex.toHexString(Sm3.hash("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    assertThat(Hex.toHexString(Sm3.hash("abcd".repeat(16).getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
    assertThat(Sm3.hash(new byte[0])).hasSize(Sm3.DIGEST_LENGTH);
  }

  /**
   * The encoding is the audit chain's stored format (existing chains must still verify), so it is pinned
   * here byte for byte: a fixed 32-byte previous hash, then each field as 4-byte big-endian length + bytes.
   */
  @Test
  void fieldsAreLengthPrefixedExactlyAsTheAuditChainStoresThem() {
    byte[] prev = new byte[32];
    byte[] got = Sm3.newHasher().fixed(prev, 32).field(7L).field("ACCEPTED").field("报销").field(new byte[0]).digest();

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(prev);
    expected.writeBytes(new byte[] {0, 0, 0, 8});
    expected.writeBytes(ByteBuffer.allocate(8).putLong(7L).array());
    byte[] accepted = "ACCEPTED".getBytes(StandardCharsets.UTF_8);
    expected.writeBytes(ByteBuffer.allocate(4).putInt(accepted.length).array());
    expected.writeBytes(accepted);
    byte[] chinese = "报销".getBytes(StandardCharsets.UTF_8);
    expected.writeBytes(ByteBuffer.allocate(4).putInt(chinese.length).array());
    expected.writeBytes(chinese);
    expected.writeBytes(new byte[] {0, 0, 0, 0});
    assertThat(got).isEqualTo(bouncyCastleSm3(expected.toByteArray()));
  }

  @Test
  void movingABoundaryBetweenFieldsChangesTheDigest() {
    assertThat(Sm3.newHasher().field("ab").field("c").digest())
        .isNotEqualTo(Sm3.newHasher().field("a").field("bc").digest());
    assertThat(Sm3.newHasher().field("").field("x").digest())
        .isNotEqualTo(Sm3.newHasher().field("x").field("").digest());
  }

  @Test
  void misuseIsRefused() {
    assertThatThrownBy(() -> Sm3.newHasher().fixed(new byte[31], 32))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes was given 31");
    assertThatThrownBy(() -> Sm3.newHasher().field((byte[]) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Sm3.newHasher().field((String) null)).isInstanceOf(NullPointerException.class);
    Sm3.FieldHasher used = Sm3.newHasher().field("x");
    used.digest();
    assertThatThrownBy(used::digest).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> used.field("more")).isInstanceOf(IllegalStateException.class);
  }
}
