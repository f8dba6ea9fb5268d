package io.hmb.security.platform;

import io.hmb.security.SecretAccess;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * Signs national-platform requests: SM2 with SM3 and the default user id "1234567812345678" over
 * the UTF-8 bytes of {@link PlatformSigning#signingString}. The key is the one the platform issued
 * to this institution, which is separate from the gateway's envelope keys. Thread-safe.
 */
public final class PlatformSigner {
  /** How the signature (r, s) is encoded before Base64. */
  public enum Encoding {
    /** r || s, each 32 bytes big-endian: 64 bytes. What most platform SDKs send. */
    RAW,
    /** ASN.1 DER SEQUENCE { INTEGER r, INTEGER s }. */
    DER
  }

  static final byte[] DEFAULT_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);

  private final ECPrivateKeyParameters key;
  private final Encoding encoding;
  private final ThreadLocal<SM2Signer> signers;

  private PlatformSigner(ECPrivateKeyParameters key, Encoding encoding) {
    this.key = key;
    this.encoding = Objects.requireNonNull(encoding, "encoding");
    this.signers = ThreadLocal.withInitial(() -> {
      SM2Signer s = new SM2Signer(encoding == Encoding.RAW ? PlainDSAEncoding.INSTANCE : StandardDSAEncoding.INSTANCE,
          new SM3Digest());
      s.init(true, new ParametersWithID(new ParametersWithRandom(this.key, new SecureRandom()), DEFAULT_ID));
      return s;
    });
  }

  /** From a PEM PKCS#8 "PRIVATE KEY" or the 32-byte private scalar in hex. */
  public static PlatformSigner fromPrivateKey(String pemOrHex, Encoding encoding, SecretAccess access)
      throws InvalidKeySpecException {
    Objects.requireNonNull(access, "SecretAccess is required to load private key bytes");
    return new PlatformSigner(Sm2Keys.privateKey(pemOrHex), encoding);
  }

  /** Base64 of the signature over the request's signing string. */
  public String sign(Map<String, String> fields) {
    byte[] msg = PlatformSigning.signingString(fields).getBytes(StandardCharsets.UTF_8);
    SM2Signer s = signers.get();
    try {
      s.reset();
      s.update(msg, 0, msg.length);
      return Base64.getEncoder().encodeToString(s.generateSignature());
    } catch (CryptoException e) {
      throw new IllegalStateException("signing failed", e);
    } finally {
      s.reset();
    }
  }

  @Override
  public String toString() {
    return "PlatformSigner{SM2/SM3, encoding=" + encoding + "}";
  }
}
