package io.hmb.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** GB/T 32905 (SM3), GB/T 32907 (SM4) known answers and SM2 round trips on the suite's parameters. */
class KnownAnswerTest {

  private static String sm3(byte[] in) {
    return Hex.toHexString(Suite.digest(new SM3Digest(), in));
  }

  @Test
  void sm3Abc() {
    assertThat(sm3("abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  }

  @Test
  void sm3Abcd16() {
    assertThat(sm3("abcd".repeat(16).getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
  }

  @Test
  void sm4SingleBlockAndMillionIterations() {
    byte[] key = Hex.decode("0123456789abcdeffedcba9876543210");
    SM4Engine sm4 = new SM4Engine();
    sm4.init(true, new KeyParameter(key));
    byte[] block = key.clone();
    sm4.processBlock(block, 0, block, 0);
    assertThat(Hex.toHexString(block)).isEqualTo("681edf34d206965e86b3e94f536e4246");
    // GB/T 32907 example 2: the same key, encrypting 1,000,000 times (about 0.2 s here)
    for (int i = 1; i < 1_000_000; i++) {
      sm4.processBlock(block, 0, block, 0);
    }
    assertThat(Hex.toHexString(block)).isEqualTo("595298c7c6fd271f0402f804c33d3f66");
  }

  @Test
  void sm2SignVerifyRoundTripWithDefaultIdAndTamper() throws Exception {
    AsymmetricCipherKeyPair kp = Suite.GM.generateKeyPair(new SecureRandom());
    byte[] msg = "message digest".getBytes(StandardCharsets.US_ASCII);
    SM2Signer signer = new SM2Signer();
    signer.init(true, new ParametersWithID(new ParametersWithRandom(kp.getPrivate(), new SecureRandom()),
        Suite.SM2_DEFAULT_ID));
    signer.update(msg, 0, msg.length);
    byte[] sig = signer.generateSignature();

    SM2Signer verifier = new SM2Signer();
    verifier.init(false, new ParametersWithID(kp.getPublic(), Suite.SM2_DEFAULT_ID));
    verifier.update(msg, 0, msg.length);
    assertThat(verifier.verifySignature(sig)).isTrue();
    verifier.update(msg, 0, msg.length - 1);
    assertThat(verifier.verifySignature(sig)).isFalse();
    // another user id gives another Z, so the signature no longer verifies
    SM2Signer otherId = new SM2Signer();
    otherId.init(false, new ParametersWithID(kp.getPublic(), "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII)));
    otherId.update(msg, 0, msg.length);
    assertThat(otherId.verifySignature(sig)).isFalse();
  }

  @Test
  void sm2EncryptDecryptRoundTripC1C3C2() throws Exception {
    AsymmetricCipherKeyPair kp = Suite.GM.generateKeyPair(new SecureRandom());
    byte[] key = Hex.decode("00112233445566778899aabbccddeeff");
    SM2Engine enc = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2);
    enc.init(true, new ParametersWithRandom(kp.getPublic(), new SecureRandom()));
    byte[] c = enc.processBlock(key, 0, key.length);
    assertThat(c).hasSize(65 + 32 + 16);
    // C3 = SM3(x2 || M || y2) sits right after C1: recompute it from the private key
    SM2Engine dec = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2);
    dec.init(false, kp.getPrivate());
    assertThat(dec.processBlock(c, 0, c.length)).isEqualTo(key);
    var c1 = Suite.GM.domain().getCurve().decodePoint(java.util.Arrays.copyOf(c, 65));
    var shared = c1.multiply(((ECPrivateKeyParameters) kp.getPrivate()).getD()).normalize();
    byte[] x2 = shared.getAffineXCoord().getEncoded();
    byte[] y2 = shared.getAffineYCoord().getEncoded();
    assertThat(java.util.Arrays.copyOfRange(c, 65, 97)).isEqualTo(Suite.digest(new SM3Digest(), x2, key, y2));
    assertThat(((ECPublicKeyParameters) kp.getPublic()).getQ().getEncoded(false)).hasSize(65);
    assertThat(new BigInteger(1, x2)).isPositive();
  }

  @Test
  void envelopeKeyWrappingDecryptsWithBouncyCastlesSm2Engine() throws Exception {
    PrivateKeyHandle r = PrivateKeyHandle.generate(io.hmb.api.v1.CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
    for (int i = 0; i < 20; i++) {
      byte[][] wrapped = Suite.GM.wrap(r.publicKey(), new byte[0], new SecureRandom());
      SM2Engine dec = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2);
      dec.init(false, r.parameters());
      assertThat(dec.processBlock(wrapped[0], 0, wrapped[0].length)).isEqualTo(wrapped[1]);
    }
  }
}
