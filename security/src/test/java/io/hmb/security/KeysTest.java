package io.hmb.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hmb.api.v1.CipherSuite;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeysTest {

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void keyIdIsTheFirst16BytesOfTheSuiteDigestOfTheSpki(CipherSuite suite) {
    PrivateKeyHandle key = Fixtures.bureauKey(suite);
    byte[] spki = key.publicKey().toSpkiDer();
    byte[] digest = Suite.digest(suite == CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3 ? new SM3Digest() : new SHA256Digest(), spki);
    assertThat(key.keyId()).isEqualTo(Hex.toHexString(Arrays.copyOf(digest, 16)));
    String curveOid = suite == CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3 ? "1.2.156.10197.1.301" : "1.2.840.10045.3.1.7";
    SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(spki);
    assertThat(info.getAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.10045.2.1");
    assertThat(info.getAlgorithm().getParameters().toString()).isEqualTo(curveOid);
    assertThat(info.getPublicKeyData().getOctets()).hasSize(65).startsWith(0x04);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void pemAndDerRoundTrip(CipherSuite suite) throws Exception {
    PrivateKeyHandle key = Fixtures.bureauKey(suite);
    String privatePem = key.toPem(InsecureSecretAccess.get());
    assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----");
    PrivateKeyHandle loaded = PrivateKeyHandle.fromPem(privatePem, InsecureSecretAccess.get());
    assertThat(loaded.keyId()).isEqualTo(key.keyId());
    assertThat(loaded.suite()).isEqualTo(suite);
    PublicKeyHandle pub = PublicKeyHandle.fromPem(key.publicKey().toPem());
    assertThat(pub).isEqualTo(key.publicKey());
    assertThat(pub.keyId()).isEqualTo(key.keyId());
    assertThat(PublicKeyHandle.fromSpkiDer(key.publicKey().toSpkiDer()).keyId()).isEqualTo(key.keyId());
    // BouncyCastle's own PEM parser reads what we write (OpenSSL-compatible armour)
    try (PEMParser p = new PEMParser(new java.io.StringReader(key.publicKey().toPem()))) {
      assertThat(((SubjectPublicKeyInfo) p.readObject()).getEncoded()).isEqualTo(key.publicKey().toSpkiDer());
    }
  }

  @Test
  void toStringShowsMetadataOnly() {
    PrivateKeyHandle key = Fixtures.bureauKey(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
    String secretHex = key.parameters().getD().toString(16);
    assertThat(key.toString()).contains(key.keyId(), "CIPHER_SUITE_SM2_SM4_GCM_SM3").doesNotContain(secretHex);
    assertThat(key.publicKey().toString()).isEqualTo(
        "PublicKeyHandle{keyId=" + key.keyId() + ", suite=CIPHER_SUITE_SM2_SM4_GCM_SM3}");
  }

  @Test
  void privateKeyBytesNeedTheAccessToken() {
    PrivateKeyHandle key = Fixtures.bureauKey(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
    assertThatThrownBy(() -> key.toPkcs8Der(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("SecretAccess");
    assertThatThrownBy(() -> PrivateKeyHandle.fromPkcs8Der(new byte[0], null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void badKeysAreRefusedWithDullMessages() {
    assertThatThrownBy(() -> PublicKeyHandle.fromSpkiDer(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}))
        .isInstanceOf(InvalidKeySpecException.class).hasMessage("invalid public key");
    assertThatThrownBy(() -> PublicKeyHandle.fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
        .isInstanceOf(InvalidKeySpecException.class);
    byte[] spki = Fixtures.bureauKey(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3).publicKey().toSpkiDer();
    spki[spki.length - 1] ^= 1; // point no longer on the curve
    assertThatThrownBy(() -> PublicKeyHandle.fromSpkiDer(spki)).isInstanceOf(InvalidKeySpecException.class)
        .hasMessage("invalid public key");
  }
}
