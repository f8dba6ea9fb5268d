package io.hmb.security.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The CA's trust manager (chain, validity, key usage, host name where the transport asks for it) followed
 * by the identity check: the peer on {@code checked} side must be {@link ExpectedPeer}. The other side is
 * refused outright, so a trust manager made to check servers can never admit a client by mistake.
 */
final class IdentityTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager ca;
  private final ExpectedPeer expected;
  private final boolean checksServers;

  private IdentityTrustManager(X509ExtendedTrustManager ca, ExpectedPeer expected, boolean checksServers) {
    this.ca = ca;
    this.expected = expected;
    this.checksServers = checksServers;
  }

  /** For a client: the server must be {@code expected}. */
  static TrustManager[] forServer(TrustBundle trust, ExpectedPeer expected) throws GeneralSecurityException {
    return new TrustManager[] {new IdentityTrustManager(caTrustManager(trust), expected, true)};
  }

  /** For a client: the server must be {@code expected}, its chain checked by {@code ca} (which may change). */
  static TrustManager[] forServer(X509ExtendedTrustManager ca, ExpectedPeer expected) {
    return new TrustManager[] {new IdentityTrustManager(ca, expected, true)};
  }

  /** For a server: every client must be {@code expected}. */
  static TrustManager[] forClients(TrustBundle trust, ExpectedPeer expected) throws GeneralSecurityException {
    return new TrustManager[] {new IdentityTrustManager(caTrustManager(trust), expected, false)};
  }

  private static X509ExtendedTrustManager caTrustManager(TrustBundle trust) throws GeneralSecurityException {
    for (TrustManager m : trust.trustManagerFactory().getTrustManagers()) {
      if (m instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager for the trust bundle");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    clientSide();
    ca.checkClientTrusted(chain, authType, socket);
    expected.check(chain[0], false);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    clientSide();
    ca.checkClientTrusted(chain, authType, engine);
    expected.check(chain[0], false);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    clientSide();
    ca.checkClientTrusted(chain, authType);
    expected.check(chain[0], false);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    serverSide();
    ca.checkServerTrusted(chain, authType, socket);
    expected.check(chain[0], true);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    serverSide();
    ca.checkServerTrusted(chain, authType, engine);
    expected.check(chain[0], true);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    serverSide();
    ca.checkServerTrusted(chain, authType);
    expected.check(chain[0], true);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return ca.getAcceptedIssuers();
  }

  private void clientSide() throws CertificateException {
    if (checksServers) {
      throw new CertificateException("this trust manager checks servers, not clients");
    }
  }

  private void serverSide() throws CertificateException {
    if (!checksServers) {
      throw new CertificateException("this trust manager checks clients, not servers");
    }
  }
}
