package io.hmb.security.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;

/**
 * A TLS key and its certificate chain (leaf first). Hands out a {@link KeyManagerFactory}, never the
 * key itself, so transports (gRPC Netty, or a drop-in SM-capable TLS provider) can use it.
 */
public final class TlsIdentity {
  private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

  private final List<X509Certificate> chain;
  private final PrivateKey key;

  TlsIdentity(List<X509Certificate> chain, PrivateKey key) {
    this.chain = List.copyOf(chain);
    this.key = key;
  }

  /** Loads {@code NAME.crt} (chain, PEM) and {@code NAME.key} (PKCS#8 PEM) from a directory. */
  public static TlsIdentity load(Path dir, String name) throws IOException, GeneralSecurityException {
    return new TlsIdentity(DevCertificateAuthority.Pem.readCertificates(dir.resolve(name + ".crt")),
        DevCertificateAuthority.Pem.readPrivateKey(dir.resolve(name + ".key")));
  }

  /** Loads a certificate chain (PEM, leaf first) and its PKCS#8 PEM key from two files of any name. */
  public static TlsIdentity load(Path chainPem, Path keyPem) throws IOException, GeneralSecurityException {
    return new TlsIdentity(DevCertificateAuthority.Pem.readCertificates(chainPem),
        DevCertificateAuthority.Pem.readPrivateKey(keyPem));
  }

  /** Writes {@code NAME.crt} and {@code NAME.key} (owner-only) into a directory. */
  public void writeTo(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    StringBuilder pem = new StringBuilder();
    chain.forEach(c -> pem.append(DevCertificateAuthority.Pem.encode(c)));
    DevCertificateAuthority.Pem.write(dir.resolve(name + ".crt"), pem.toString());
    DevCertificateAuthority.Pem.writeSecret(dir.resolve(name + ".key"), DevCertificateAuthority.Pem.encode(key));
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  public List<X509Certificate> chain() {
    return chain;
  }

  /** Key managers over an in-memory key store holding this identity. */
  public KeyManagerFactory keyManagerFactory() throws GeneralSecurityException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("identity", key, IN_MEMORY_PASSWORD, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, IN_MEMORY_PASSWORD);
      return factory;
    } catch (IOException e) {
      throw new GeneralSecurityException("could not build the key store", e);
    }
  }

  @Override
  public String toString() {
    return "TlsIdentity{subject=" + certificate().getSubjectX500Principal().getName()
        + ", notAfter=" + certificate().getNotAfter().toInstant() + "}";
  }
}
