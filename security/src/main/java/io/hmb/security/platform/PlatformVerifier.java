package io.hmb.security.platform;

import java.nio.charset.StandardCharsets;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * Verifies national-platform signatures (SM2/SM3, default user id) over
 * {@link PlatformSigning#signingString}. Accepts both encodings: exactly 64 bytes is read as raw
 * r || s, anything else must be strict DER. Thread-safe.
 */
public final class PlatformVerifier {
  private final ThreadLocal<SM2Signer> raw;
  private final ThreadLocal<SM2Signer> der;

  private PlatformVerifier(ECPublicKeyParameters key) {
    this.raw = ThreadLocal.withInitial(() -> verifier(key, true));
    this.der = ThreadLocal.withInitial(() -> verifier(key, false));
  }

  /** From a PEM "PUBLIC KEY" (SubjectPublicKeyInfo) or the hex point (04 || x || y). */
  public static PlatformVerifier fromPublicKey(String pemOrHex) throws InvalidKeySpecException {
    return new PlatformVerifier(Sm2Keys.publicKey(pemOrHex));
  }

  /** True if {@code base64Signature} is a valid signature of {@code fields}; false on any problem. */
  public boolean verify(Map<String, String> fields, String base64Signature) {
    byte[] sig;
    try {
      sig = Base64.getDecoder().decode(base64Signature.strip());
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
    return verify(fields, sig);
  }

  /** True if {@code signature} (raw 64 bytes or DER) is valid for {@code fields}. */
  public boolean verify(Map<String, String> fields, byte[] signature) {
    byte[] msg = PlatformSigning.signingString(fields).getBytes(StandardCharsets.UTF_8);
    SM2Signer v = (signature.length == 64 ? raw : der).get();
    try {
      v.reset();
      v.update(msg, 0, msg.length);
      return v.verifySignature(signature);
    } catch (RuntimeException e) {
      return false;
    } finally {
      v.reset();
    }
  }

  private static SM2Signer verifier(ECPublicKeyParameters key, boolean rawEncoding) {
    SM2Signer s = new SM2Signer(rawEncoding ? PlainDSAEncoding.INSTANCE : StandardDSAEncoding.INSTANCE, new SM3Digest());
    s.init(false, new ParametersWithID(key, PlatformSigner.DEFAULT_ID));
    return s;
  }

  @Override
  public String toString() {
    return "PlatformVerifier{SM2/SM3}";
  }
}
