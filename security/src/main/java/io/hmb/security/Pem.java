package io.hmb.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.spec.InvalidKeySpecException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM armour for DER blobs ("PUBLIC KEY" = SubjectPublicKeyInfo, "PRIVATE KEY" = PKCS#8). */
final class Pem {
  static final String PUBLIC_KEY = "PUBLIC KEY";
  static final String PRIVATE_KEY = "PRIVATE KEY";

  private Pem() {}

  static String encode(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter w = new PemWriter(out)) {
      w.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  /** The DER content of the first PEM block, which must be of {@code type}. Dull errors only. */
  static byte[] decode(String type, String pem) throws InvalidKeySpecException {
    try (PemReader r = new PemReader(new StringReader(pem))) {
      PemObject o = r.readPemObject();
      if (o == null || !type.equals(o.getType())) {
        throw new InvalidKeySpecException("expected a PEM block of type " + type);
      }
      return o.getContent();
    } catch (IOException | RuntimeException e) {
      throw new InvalidKeySpecException("unreadable PEM");
    }
  }
}
