package io.hmb.security.platform;

import java.math.BigInteger;
import java.security.spec.InvalidKeySpecException;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.util.encoders.Hex;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/** Loads SM2 keys in the forms platform SDKs hand out: PEM (PKCS#8 / SPKI) or raw hex. */
final class Sm2Keys {
  static final ECDomainParameters SM2 = ECNamedDomainParameters.lookup(GMObjectIdentifiers.sm2p256v1);

  private Sm2Keys() {}

  static ECPrivateKeyParameters privateKey(String pemOrHex) throws InvalidKeySpecException {
    try {
      if (pemOrHex.contains("-----BEGIN")) {
        AsymmetricKeyParameter k = PrivateKeyFactory.createKey(pem(pemOrHex, "PRIVATE KEY"));
        return sm2((ECPrivateKeyParameters) k);
      }
      String hex = pemOrHex.strip();
      // A key printed as a number loses its leading zeros: "abc" is 0x0abc, not a decoding error.
      BigInteger d = new BigInteger(1, Hex.decode(hex.length() % 2 == 0 ? hex : "0" + hex));
      if (d.signum() <= 0 || d.compareTo(SM2.getN().subtract(BigInteger.ONE)) >= 0) {
        throw new InvalidKeySpecException("invalid SM2 private key");
      }
      return new ECPrivateKeyParameters(d, SM2);
    } catch (InvalidKeySpecException e) {
      throw e;
    } catch (Exception e) {
      throw new InvalidKeySpecException("invalid SM2 private key");
    }
  }

  static ECPublicKeyParameters publicKey(String pemOrHex) throws InvalidKeySpecException {
    try {
      if (pemOrHex.contains("-----BEGIN")) {
        ECPublicKeyParameters k = (ECPublicKeyParameters) PublicKeyFactory.createKey(pem(pemOrHex, "PUBLIC KEY"));
        if (!SM2.equals(k.getParameters())) {
          throw new InvalidKeySpecException("not an SM2 key");
        }
        return k;
      }
      return new ECPublicKeyParameters(SM2.getCurve().decodePoint(Hex.decode(pemOrHex.strip())), SM2);
    } catch (InvalidKeySpecException e) {
      throw e;
    } catch (Exception e) {
      throw new InvalidKeySpecException("invalid SM2 public key");
    }
  }

  private static ECPrivateKeyParameters sm2(ECPrivateKeyParameters k) throws InvalidKeySpecException {
    if (!SM2.equals(k.getParameters())) {
      throw new InvalidKeySpecException("not an SM2 key");
    }
    return k;
  }

  private static byte[] pem(String text, String type) throws Exception {
    try (PemReader r = new PemReader(new java.io.StringReader(text))) {
      PemObject o = r.readPemObject();
      if (o == null || !type.equals(o.getType())) {
        throw new InvalidKeySpecException("expected PEM " + type);
      }
      return o.getContent();
    }
  }
}
