package io.hmb.security;

import io.hmb.api.v1.CipherSuite;
import java.io.IOException;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;

/**
 * A participant's public key (SM2 or P-256) with its key id and suite. Immutable and thread-safe.
 *
 * <p>Parse it once and keep it: the handle caches one verifier per thread, and BouncyCastle caches
 * the point's precomputation table inside it, so a cached handle verifies and wraps several times
 * faster than one rebuilt per message (see docs/performance-security.md).
 *
 * <p>The key id is lowercase hex of the first 16 bytes of SM3 (GM) or SHA-256 (NIST) over the
 * canonical DER SubjectPublicKeyInfo: algorithm id-ecPublicKey, parameters the named-curve OID
 * (sm2p256v1 1.2.156.10197.1.301 or prime256v1 1.2.840.10045.3.1.7), uncompressed point.
 */
public final class PublicKeyHandle {
  private final Suite suite;
  private final ECPublicKeyParameters parameters;
  private final byte[] spki;
  private final String keyId;
  private final ThreadLocal<Signer> verifiers;

  PublicKeyHandle(Suite suite, ECPoint point) {
    this.suite = suite;
    this.parameters = new ECPublicKeyParameters(point.normalize(), suite.domain()); // validates the point
    this.spki = canonicalSpki(suite, parameters.getQ());
    this.keyId = keyId(suite, spki);
    this.verifiers = ThreadLocal.withInitial(this::newVerifier);
  }

  /** Loads a DER SubjectPublicKeyInfo of an SM2 or P-256 key (named curve). */
  public static PublicKeyHandle fromSpkiDer(byte[] der) throws InvalidKeySpecException {
    try {
      SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(der);
      AlgorithmIdentifier alg = info.getAlgorithm();
      if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())
          || !(alg.getParameters() instanceof ASN1ObjectIdentifier)) {
        throw new InvalidKeySpecException("not an EC public key on a named curve");
      }
      Suite suite = Suite.forCurve((ASN1ObjectIdentifier) alg.getParameters());
      if (suite == null) {
        throw new InvalidKeySpecException("unsupported curve");
      }
      ECPoint point = suite.domain().getCurve().decodePoint(info.getPublicKeyData().getOctets());
      return new PublicKeyHandle(suite, point);
    } catch (InvalidKeySpecException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidKeySpecException("invalid public key");
    }
  }

  /** Loads a PEM "PUBLIC KEY" block (SubjectPublicKeyInfo), as written by {@link #toPem()} or OpenSSL. */
  public static PublicKeyHandle fromPem(String pem) throws InvalidKeySpecException {
    return fromSpkiDer(Pem.decode(Pem.PUBLIC_KEY, pem));
  }

  public String keyId() {
    return keyId;
  }

  public CipherSuite suite() {
    return suite.id();
  }

  /** The canonical DER SubjectPublicKeyInfo (the bytes the key id is computed over). */
  public byte[] toSpkiDer() {
    return spki.clone();
  }

  /** PEM "PUBLIC KEY". */
  public String toPem() {
    return Pem.encode(Pem.PUBLIC_KEY, spki);
  }

  Suite suiteImpl() {
    return suite;
  }

  ECPublicKeyParameters parameters() {
    return parameters;
  }

  /** Verifies an envelope signature; false on any problem (bad encoding included). */
  boolean verify(byte[] header, byte[] wrappedKey, byte[] ciphertext, byte[] signature) {
    Signer v = verifiers.get();
    try {
      v.reset();
      SigningInput.feed(v, header, wrappedKey, ciphertext);
      return v.verifySignature(signature);
    } catch (RuntimeException e) {
      return false;
    } finally {
      v.reset();
    }
  }

  /** Verifies a signature over {@code label || data} (see PrivateKeyHandle.signLabelled); false on any problem. */
  boolean verifyLabelled(byte[] label, byte[] data, byte[] signature) {
    Signer v = newVerifier();
    try {
      v.update(label, 0, label.length);
      v.update(data, 0, data.length);
      return v.verifySignature(signature);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Signer newVerifier() {
    Signer v = suite.newSigner();
    v.init(false, suite.verifyParameters(parameters));
    return v;
  }

  static byte[] canonicalSpki(Suite suite, ECPoint q) {
    try {
      return new SubjectPublicKeyInfo(
          new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, suite.domain().getName()),
          q.getEncoded(false)).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String keyId(Suite suite, byte[] spki) {
    return Hex.toHexString(Arrays.copyOf(Suite.digest(suite.newKeyIdDigest(), spki), 16));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKeyHandle && Arrays.equals(spki, ((PublicKeyHandle) o).spki);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(spki);
  }

  @Override
  public String toString() {
    return "PublicKeyHandle{keyId=" + keyId + ", suite=" + suite.id() + "}";
  }
}
