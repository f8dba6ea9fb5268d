package io.hmb.security;

import io.hmb.api.v1.CipherSuite;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * A participant's private key (SM2 or P-256) with its public key, key id and suite. Immutable and
 * thread-safe. It exposes no key bytes except through {@link #toPkcs8Der(SecretAccess)}, which needs
 * the grep-able {@link InsecureSecretAccess} token; {@link #toString()} prints metadata only.
 *
 * <p><b>Signer cache.</b> Each handle keeps one initialised signer per thread (a ThreadLocal).
 * Initialising an SM2 signer computes Z = SM3(ENTL || ID || curve || public key), and the first use
 * builds precomputation tables; reusing it makes signing several times faster (toolchain note and
 * the JMH benchmark in docs/performance-security.md). What is given up: a little memory per thread
 * that has used the key, released when the handle becomes unreachable.
 *
 * <p>One key pair serves both signing (as a sender) and unwrapping content keys (as a recipient).
 */
public final class PrivateKeyHandle {
  private final Suite suite;
  private final ECPrivateKeyParameters parameters;
  private final PublicKeyHandle publicKey;
  private final ThreadLocal<Signer> signers;

  private PrivateKeyHandle(Suite suite, BigInteger d, ECPoint q) {
    this.suite = suite;
    this.parameters = new ECPrivateKeyParameters(d, suite.domain());
    this.publicKey = new PublicKeyHandle(suite, q);
    this.signers = ThreadLocal.withInitial(() -> newSigner(new SecureRandom()));
  }

  /** Generates a fresh key pair for {@code suite} from a system SecureRandom. */
  public static PrivateKeyHandle generate(CipherSuite suite) {
    return generate(suite, new SecureRandom());
  }

  static PrivateKeyHandle generate(CipherSuite suite, SecureRandom random) {
    Suite s;
    try {
      s = Suite.of(suite);
    } catch (EnvelopeException e) {
      throw new IllegalArgumentException("unsupported suite " + suite);
    }
    AsymmetricCipherKeyPair kp = s.generateKeyPair(random);
    return new PrivateKeyHandle(s, ((ECPrivateKeyParameters) kp.getPrivate()).getD(),
        ((ECPublicKeyParameters) kp.getPublic()).getQ());
  }

  /** Loads a DER PKCS#8 PrivateKeyInfo of an SM2 or P-256 key (named curve, unencrypted). */
  public static PrivateKeyHandle fromPkcs8Der(byte[] der, SecretAccess access) throws InvalidKeySpecException {
    SecretAccess.require(access);
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
      AlgorithmIdentifier alg = info.getPrivateKeyAlgorithm();
      if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())
          || !(alg.getParameters() instanceof ASN1ObjectIdentifier)) {
        throw new InvalidKeySpecException("not an EC private key on a named curve");
      }
      Suite suite = Suite.forCurve((ASN1ObjectIdentifier) alg.getParameters());
      if (suite == null) {
        throw new InvalidKeySpecException("unsupported curve");
      }
      ECPrivateKey ec = ECPrivateKey.getInstance(info.parsePrivateKey());
      BigInteger d = ec.getKey();
      BigInteger n = suite.domain().getN();
      if (d.signum() <= 0 || d.compareTo(n.subtract(BigInteger.ONE)) >= 0) {
        throw new InvalidKeySpecException("invalid private key");
      }
      ECPoint q = new FixedPointCombMultiplier().multiply(suite.domain().getG(), d).normalize();
      org.bouncycastle.asn1.ASN1BitString embedded = ec.getPublicKey();
      if (embedded != null && !suite.domain().getCurve().decodePoint(embedded.getOctets()).equals(q)) {
        throw new InvalidKeySpecException("public key does not match private key");
      }
      return new PrivateKeyHandle(suite, d, q);
    } catch (InvalidKeySpecException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new InvalidKeySpecException("invalid private key");
    }
  }

  /** Loads a PEM "PRIVATE KEY" block (unencrypted PKCS#8). */
  public static PrivateKeyHandle fromPem(String pem, SecretAccess access) throws InvalidKeySpecException {
    SecretAccess.require(access);
    return fromPkcs8Der(Pem.decode(Pem.PRIVATE_KEY, pem), access);
  }

  /** DER PKCS#8 PrivateKeyInfo (named curve, public key included). Protect what you write. */
  public byte[] toPkcs8Der(SecretAccess access) {
    SecretAccess.require(access);
    ECPoint q = publicKey.parameters().getQ();
    ECPrivateKey ec = new ECPrivateKey(suite.domain().getN().bitLength(), parameters.getD(),
        new DERBitString(q.getEncoded(false)), null);
    try {
      return new PrivateKeyInfo(
          new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, suite.domain().getName()), ec)
          .getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM "PRIVATE KEY" (unencrypted PKCS#8). Protect what you write. */
  public String toPem(SecretAccess access) {
    return Pem.encode(Pem.PRIVATE_KEY, toPkcs8Der(access));
  }

  public PublicKeyHandle publicKey() {
    return publicKey;
  }

  public String keyId() {
    return publicKey.keyId();
  }

  public CipherSuite suite() {
    return suite.id();
  }

  Suite suiteImpl() {
    return suite;
  }

  ECPrivateKeyParameters parameters() {
    return parameters;
  }

  /**
   * Signs the envelope signing input. With {@code random == null} the cached per-thread signer is
   * used; a non-null random (test vectors only) gets a fresh signer drawing from it.
   */
  byte[] sign(byte[] header, byte[] wrappedKey, byte[] ciphertext, SecureRandom random) {
    Signer s = random == null ? signers.get() : newSigner(random);
    try {
      s.reset();
      SigningInput.feed(s, header, wrappedKey, ciphertext);
      return s.generateSignature();
    } catch (CryptoException e) {
      throw new IllegalStateException("signing failed", e);
    } finally {
      s.reset();
    }
  }

  /**
   * Signs {@code label || data} for a purpose other than envelopes (the label keeps the two apart); a
   * fresh signer each time, for rare signatures such as audit checkpoints.
   */
  byte[] signLabelled(byte[] label, byte[] data) {
    Signer s = newSigner(new SecureRandom());
    s.update(label, 0, label.length);
    s.update(data, 0, data.length);
    try {
      return s.generateSignature();
    } catch (CryptoException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }

  private Signer newSigner(SecureRandom random) {
    Signer s = suite.newSigner();
    s.init(true, suite.signParameters(parameters, random));
    return s;
  }

  @Override
  public String toString() {
    return "PrivateKeyHandle{keyId=" + keyId() + ", suite=" + suite.id() + "}";
  }
}
