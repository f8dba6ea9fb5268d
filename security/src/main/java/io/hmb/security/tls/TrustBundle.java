package io.hmb.security.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;

/** The CA certificates a TLS endpoint trusts for its peers. */
public final class TrustBundle {
  private final List<X509Certificate> authorities;

  private TrustBundle(List<X509Certificate> authorities) {
    this.authorities = List.copyOf(authorities);
  }

  public static TrustBundle of(X509Certificate... authorities) {
    return new TrustBundle(List.of(authorities));
  }

  /** Loads every certificate in a PEM file. */
  public static TrustBundle load(Path pemFile) throws IOException, GeneralSecurityException {
    return new TrustBundle(DevCertificateAuthority.Pem.readCertificates(pemFile));
  }

  public TrustManagerFactory trustManagerFactory() throws GeneralSecurityException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (IOException e) {
      throw new GeneralSecurityException("could not build the trust store", e);
    }
  }
}
