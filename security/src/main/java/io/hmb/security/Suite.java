package io.hmb.security;

import io.hmb.api.v1.CipherSuite;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * The algorithms of one cipher suite, on the BouncyCastle lightweight API (no JCA provider lookup).
 * Package-private: callers only ever see {@link Sealer}, {@link Opener} and {@link EnvelopeVerifier}.
 * The exact constructions are specified in docs/envelope.md.
 */
abstract class Suite {
  static final int CONTENT_KEY_SM4 = 16;
  static final int CONTENT_KEY_AES = 32;
  static final int IV_BYTES = 12;
  static final int TAG_BYTES = 16;
  /** SM2 default distinguishing identifier (GB/T 35276), ASCII "1234567812345678". */
  static final byte[] SM2_DEFAULT_ID = "1234567812345678".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Comb multiplier; its table for a point is cached inside that point (G, or a cached public key). */
  static final FixedPointCombMultiplier COMB = new FixedPointCombMultiplier();

  static final Suite GM = new Gm();
  static final Suite NIST = new Nist();

  static Suite of(CipherSuite id) throws EnvelopeException {
    switch (id) {
      case CIPHER_SUITE_SM2_SM4_GCM_SM3:
        return GM;
      case CIPHER_SUITE_P256_AES256_GCM_SHA256:
        return NIST;
      default:
        throw EnvelopeException.of(EnvelopeException.Reason.UNSUPPORTED_SUITE);
    }
  }

  /** The suite whose curve is {@code oid}, or null. */
  static Suite forCurve(ASN1ObjectIdentifier oid) {
    if (GMObjectIdentifiers.sm2p256v1.equals(oid)) {
      return GM;
    }
    if (SECObjectIdentifiers.secp256r1.equals(oid)) {
      return NIST;
    }
    return null;
  }

  abstract CipherSuite id();

  abstract ECNamedDomainParameters domain();

  /** Digest for key ids: SM3 (GM) or SHA-256 (NIST). */
  abstract Digest newKeyIdDigest();

  abstract Signer newSigner();

  abstract CipherParameters signParameters(ECPrivateKeyParameters key, SecureRandom random);

  abstract CipherParameters verifyParameters(ECPublicKeyParameters key);

  /** Creates a fresh content key and wraps it for {@code recipient}; result[0]=wrapped, [1]=key. */
  abstract byte[][] wrap(PublicKeyHandle recipient, byte[] headerBytes, SecureRandom random)
      throws EnvelopeException;

  /** Recovers the content key; DECRYPTION_FAILED on any problem. */
  abstract byte[] unwrap(PrivateKeyHandle recipient, byte[] wrappedKey, byte[] headerBytes)
      throws EnvelopeException;

  abstract BlockCipher newBlockCipher();

  final AsymmetricCipherKeyPair generateKeyPair(SecureRandom random) {
    ECKeyPairGenerator gen = new ECKeyPairGenerator();
    gen.init(new ECKeyGenerationParameters(domain(), random));
    return gen.generateKeyPair();
  }

  /** IV || AEAD(ciphertext || tag) with {@code headerBytes} as associated data. */
  final byte[] encrypt(byte[] contentKey, byte[] iv, byte[] headerBytes, byte[] plaintext) {
    GCMModeCipher gcm = GCMBlockCipher.newInstance(newBlockCipher());
    gcm.init(true, new AEADParameters(new KeyParameter(contentKey), TAG_BYTES * 8, iv, headerBytes));
    byte[] out = new byte[IV_BYTES + gcm.getOutputSize(plaintext.length)];
    System.arraycopy(iv, 0, out, 0, IV_BYTES);
    int n = gcm.processBytes(plaintext, 0, plaintext.length, out, IV_BYTES);
    try {
      gcm.doFinal(out, IV_BYTES + n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("GCM encryption cannot fail", e);
    }
    return out;
  }

  final byte[] decrypt(byte[] contentKey, byte[] headerBytes, byte[] ciphertext) throws EnvelopeException {
    if (ciphertext.length < IV_BYTES + TAG_BYTES) {
      throw EnvelopeException.of(EnvelopeException.Reason.DECRYPTION_FAILED);
    }
    GCMModeCipher gcm = GCMBlockCipher.newInstance(newBlockCipher());
    gcm.init(false, new AEADParameters(new KeyParameter(contentKey), TAG_BYTES * 8,
        Arrays.copyOf(ciphertext, IV_BYTES), headerBytes));
    int len = ciphertext.length - IV_BYTES;
    byte[] out = new byte[gcm.getOutputSize(len)];
    try {
      int n = gcm.processBytes(ciphertext, IV_BYTES, len, out, 0);
      gcm.doFinal(out, n);
    } catch (InvalidCipherTextException | RuntimeException e) {
      throw EnvelopeException.of(EnvelopeException.Reason.DECRYPTION_FAILED);
    }
    return out;
  }

  static byte[] digest(Digest d, byte[]... parts) {
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }

  /** GM/T suite: SM2 (SM3, default id) signature, SM2 C1C3C2 key wrapping, SM4-GCM. */
  private static final class Gm extends Suite {
    private static final ECNamedDomainParameters DOMAIN = ECNamedDomainParameters.lookup(GMObjectIdentifiers.sm2p256v1);

    @Override
    CipherSuite id() {
      return CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3;
    }

    @Override
    ECNamedDomainParameters domain() {
      return DOMAIN;
    }

    @Override
    Digest newKeyIdDigest() {
      return new SM3Digest();
    }

    @Override
    Signer newSigner() {
      return new SM2Signer(StandardDSAEncoding.INSTANCE, new SM3Digest());
    }

    @Override
    CipherParameters signParameters(ECPrivateKeyParameters key, SecureRandom random) {
      return new ParametersWithID(new ParametersWithRandom(key, random), SM2_DEFAULT_ID);
    }

    @Override
    CipherParameters verifyParameters(ECPublicKeyParameters key) {
      return new ParametersWithID(key, SM2_DEFAULT_ID);
    }

    /**
     * SM2 public-key encryption (GB/T 32918.4), C1 || C3 || C2. Written out rather than using
     * BouncyCastle's SM2Engine so that k.Q uses a comb table cached in the recipient's point (about
     * twice as fast for a recipient key that is sealed for repeatedly). Unwrapping uses SM2Engine,
     * so every round trip cross-checks the two implementations.
     */
    @Override
    byte[][] wrap(PublicKeyHandle recipient, byte[] headerBytes, SecureRandom random) {
      byte[] key = new byte[CONTENT_KEY_SM4];
      random.nextBytes(key);
      BigInteger n = DOMAIN.getN();
      ECPoint q = recipient.parameters().getQ();
      byte[] t;
      ECPoint c1;
      ECPoint s;
      do {
        BigInteger k = BigIntegers.createRandomInRange(BigInteger.ONE, n.subtract(BigInteger.ONE), random);
        c1 = COMB.multiply(DOMAIN.getG(), k).normalize();
        s = COMB.multiply(q, k).normalize();
        t = kdf(s, key.length);
      } while (allZero(t));
      byte[] x2 = s.getAffineXCoord().getEncoded();
      byte[] y2 = s.getAffineYCoord().getEncoded();
      byte[] c2 = new byte[key.length];
      for (int i = 0; i < key.length; i++) {
        c2[i] = (byte) (key[i] ^ t[i]);
      }
      byte[] c3 = digest(new SM3Digest(), x2, key, y2);
      return new byte[][] {org.bouncycastle.util.Arrays.concatenate(c1.getEncoded(false), c3, c2), key};
    }

    /** GB/T 32918.4 KDF with SM3 over x2 || y2, counter from 1; klen <= 32 bytes here. */
    private static byte[] kdf(ECPoint s, int klen) {
      byte[] block = digest(new SM3Digest(), s.getAffineXCoord().getEncoded(), s.getAffineYCoord().getEncoded(),
          new byte[] {0, 0, 0, 1});
      return Arrays.copyOf(block, klen);
    }

    private static boolean allZero(byte[] t) {
      int acc = 0;
      for (byte b : t) {
        acc |= b;
      }
      return acc == 0;
    }

    @Override
    byte[] unwrap(PrivateKeyHandle recipient, byte[] wrappedKey, byte[] headerBytes) throws EnvelopeException {
      // C1 (65, uncompressed) || C3 (32) || C2 (16)
      if (wrappedKey.length != 65 + 32 + CONTENT_KEY_SM4 || wrappedKey[0] != 0x04) {
        throw EnvelopeException.of(EnvelopeException.Reason.DECRYPTION_FAILED);
      }
      SM2Engine engine = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2);
      engine.init(false, recipient.parameters());
      try {
        byte[] key = engine.processBlock(wrappedKey, 0, wrappedKey.length);
        if (key.length != CONTENT_KEY_SM4) {
          throw EnvelopeException.of(EnvelopeException.Reason.DECRYPTION_FAILED);
        }
        return key;
      } catch (InvalidCipherTextException | RuntimeException e) {
        throw EnvelopeException.of(EnvelopeException.Reason.DECRYPTION_FAILED);
      }
    }

    @Override
    BlockCipher newBlockCipher() {
      return new SM4Engine();
    }
  }

  /** NIST suite: ECDSA P-256/SHA-256 (RFC 6979 nonces), ECDH P-256 + HKDF-SHA256, AES-256-GCM. */
  private static final class Nist extends Suite {
    private static final ECNamedDomainParameters DOMAIN = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
    /** HKDF info prefix; see docs/envelope.md "NIST key agreement". */
    static final byte[] HKDF_LABEL =
        "HMB-ENVELOPE-V1/P256-ECDH-HKDF-SHA256/AES-256-GCM\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Override
    CipherSuite id() {
      return CipherSuite.CIPHER_SUITE_P256_AES256_GCM_SHA256;
    }

    @Override
    ECNamedDomainParameters domain() {
      return DOMAIN;
    }

    @Override
    Digest newKeyIdDigest() {
      return new SHA256Digest();
    }

    @Override
    Signer newSigner() {
      return new DSADigestSigner(new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())),
          new SHA256Digest(), StandardDSAEncoding.INSTANCE);
    }

    @Override
    CipherParameters signParameters(ECPrivateKeyParameters key, SecureRandom random) {
      return key; // RFC 6979: the nonce is derived from the key and the digest, no randomness needed
    }

    @Override
    CipherParameters verifyParameters(ECPublicKeyParameters key) {
      return key;
    }

    @Override
    byte[][] wrap(PublicKeyHandle recipient, byte[] headerBytes, SecureRandom random) {
      AsymmetricCipherKeyPair eph = generateKeyPair(random);
      byte[] ephPoint = ((ECPublicKeyParameters) eph.getPublic()).getQ().getEncoded(false);
      byte[] key = deriveForRecipient(((ECPrivateKeyParameters) eph.getPrivate()).getD(),
          recipient.parameters().getQ(), ephPoint, recipient.parameters().getQ().getEncoded(false), headerBytes);
      return new byte[][] {ephPoint, key};
    }

    @Override
    byte[] unwrap(PrivateKeyHandle recipient, byte[] wrappedKey, byte[] headerBytes) throws EnvelopeException {
      if (wrappedKey.length != 65 || wrappedKey[0] != 0x04) {
        throw EnvelopeException.of(EnvelopeException.Reason.DECRYPTION_FAILED);
      }
      try {
        ECPoint point = DOMAIN.getCurve().decodePoint(wrappedKey);
        ECPublicKeyParameters eph = new ECPublicKeyParameters(point, DOMAIN); // validates the point
        return derive(recipient.parameters(), eph, wrappedKey,
            recipient.publicKey().parameters().getQ().getEncoded(false), headerBytes);
      } catch (RuntimeException e) {
        throw EnvelopeException.of(EnvelopeException.Reason.DECRYPTION_FAILED);
      }
    }

    /** HKDF-SHA256(salt = empty, IKM = ECDH x-coordinate, info = label || E || R || SHA-256(header)). */
    static byte[] derive(ECPrivateKeyParameters priv, ECPublicKeyParameters pub, byte[] ephPoint,
        byte[] recipientPoint, byte[] headerBytes) {
      ECDHBasicAgreement agreement = new ECDHBasicAgreement();
      agreement.init(priv);
      byte[] z = BigIntegers.asUnsignedByteArray(32, agreement.calculateAgreement(pub));
      return deriveFromSecret(z, ephPoint, recipientPoint, headerBytes);
    }

    /**
     * Sender side: Z = x(e.R) with a comb table cached in the recipient's point R (ECDHBasicAgreement
     * re-imports R and would rebuild its table every time). Recipient side uses ECDHBasicAgreement.
     */
    static byte[] deriveForRecipient(BigInteger e, ECPoint r, byte[] ephPoint, byte[] recipientPoint,
        byte[] headerBytes) {
      ECPoint p = COMB.multiply(r, e).normalize();
      if (p.isInfinity()) {
        throw new IllegalStateException("invalid ECDH result");
      }
      return deriveFromSecret(p.getAffineXCoord().getEncoded(), ephPoint, recipientPoint, headerBytes);
    }

    static byte[] deriveFromSecret(byte[] z, byte[] ephPoint, byte[] recipientPoint, byte[] headerBytes) {
      byte[] info = hkdfInfo(ephPoint, recipientPoint, headerBytes);
      HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
      hkdf.init(new HKDFParameters(z, null, info));
      byte[] key = new byte[CONTENT_KEY_AES];
      hkdf.generateBytes(key, 0, key.length);
      Arrays.fill(z, (byte) 0);
      return key;
    }

    static byte[] hkdfInfo(byte[] ephPoint, byte[] recipientPoint, byte[] headerBytes) {
      byte[] headerDigest = digest(new SHA256Digest(), headerBytes);
      byte[] info = new byte[HKDF_LABEL.length + ephPoint.length + recipientPoint.length + headerDigest.length];
      int o = 0;
      for (byte[] part : new byte[][] {HKDF_LABEL, ephPoint, recipientPoint, headerDigest}) {
        System.arraycopy(part, 0, info, o, part.length);
        o += part.length;
      }
      return info;
    }

    @Override
    BlockCipher newBlockCipher() {
      return AESEngine.newInstance();
    }
  }
}
