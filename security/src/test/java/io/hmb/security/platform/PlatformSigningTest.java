package io.hmb.security.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.security.InsecureSecretAccess;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class PlatformSigningTest {
  private static final BigInteger D = new BigInteger(1, Hex.decode(
      "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8"));
  private static final String PUBLIC_HEX = Hex.toHexString(
      Sm2Keys.SM2.getG().multiply(D).normalize().getEncoded(false));

  private static Map<String, String> request() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("infno", "2001");
    m.put("msgid", "H21020200001202603011000000001");
    m.put("insuplc_admdvs", "210200");
    m.put("opter_type", "1");
    m.put("sign_no", "");
    m.put("signtype", "SM2");
    m.put("cainfo", "should-not-be-signed");
    m.put("input", "{\"data\":{\"psn_no\":\"21000000000000000001\"}}");
    m.put("inf_time", "2026-03-01 10:00:00");
    return m;
  }

  @Test
  void signingStringSortsByKeyAndSkipsEmptyAndSignatureFields() {
    assertThat(PlatformSigning.signingString(request())).isEqualTo(
        "inf_time=2026-03-01 10:00:00&infno=2001&input={\"data\":{\"psn_no\":\"21000000000000000001\"}}"
            + "&insuplc_admdvs=210200&msgid=H21020200001202603011000000001&opter_type=1&signtype=SM2");
    Map<String, String> withNull = new LinkedHashMap<>(request());
    withNull.put("fixmedins_name", null);
    withNull.put("signData", "x");
    assertThat(PlatformSigning.signingString(withNull)).isEqualTo(PlatformSigning.signingString(request()));
  }

  @Test
  void rawAndDerSignaturesBothVerify() throws Exception {
    PlatformVerifier verifier = PlatformVerifier.fromPublicKey(PUBLIC_HEX);
    for (PlatformSigner.Encoding enc : PlatformSigner.Encoding.values()) {
      PlatformSigner signer = PlatformSigner.fromPrivateKey(Hex.toHexString(BigIntegers.asUnsignedByteArray(32, D)),
          enc, InsecureSecretAccess.get());
      String sig = signer.sign(request());
      byte[] raw = Base64.getDecoder().decode(sig);
      if (enc == PlatformSigner.Encoding.RAW) {
        assertThat(raw).hasSize(64);
        // the same (r, s) re-encoded as DER also verifies
        byte[] der = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            new ASN1Integer(new BigInteger(1, java.util.Arrays.copyOf(raw, 32))),
            new ASN1Integer(new BigInteger(1, java.util.Arrays.copyOfRange(raw, 32, 64)))}).getEncoded();
        assertThat(verifier.verify(request(), der)).isTrue();
      } else {
        assertThat(raw[0]).isEqualTo((byte) 0x30);
      }
      assertThat(verifier.verify(request(), sig)).isTrue();
      Map<String, String> changed = new LinkedHashMap<>(request());
      changed.put("infno", "2002");
      assertThat(verifier.verify(changed, sig)).isFalse();
      Map<String, String> cainfoChanged = new LinkedHashMap<>(request());
      cainfoChanged.put("cainfo", sig); // the signature field itself is not signed
      assertThat(verifier.verify(cainfoChanged, sig)).isTrue();
      assertThat(verifier.verify(request(), "not base64!")).isFalse();
      assertThat(verifier.verify(request(), new byte[70])).isFalse();
    }
  }

  @Test
  void aHexKeyWithItsLeadingZeroDroppedIsTheSameKey() throws Exception {
    BigInteger small = new BigInteger("0abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678", 16);
    String publicHex = Hex.toHexString(Sm2Keys.SM2.getG().multiply(small).normalize().getEncoded(false));
    String sig = PlatformSigner.fromPrivateKey(small.toString(16), PlatformSigner.Encoding.RAW, InsecureSecretAccess.get())
        .sign(request());
    assertThat(small.toString(16)).hasSize(63);
    assertThat(PlatformVerifier.fromPublicKey(publicHex).verify(request(), sig)).isTrue();
  }

  @Test
  void aSignatureByAnotherKeyDoesNotVerify() throws Exception {
    BigInteger other = new BigInteger(255, new SecureRandom()).add(BigInteger.ONE);
    String sig = PlatformSigner.fromPrivateKey(other.toString(16), PlatformSigner.Encoding.RAW,
        InsecureSecretAccess.get()).sign(request());
    assertThat(PlatformVerifier.fromPublicKey(PUBLIC_HEX).verify(request(), sig)).isFalse();
  }
}
