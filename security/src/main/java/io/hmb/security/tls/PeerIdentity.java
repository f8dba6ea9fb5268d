package io.hmb.security.tls;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Reads the participant code a TLS peer proved by its client certificate: the SAN URI
 * {@code urn:hmb:participant:CODE}. The gateway compares it with {@code header.sender} on every call.
 */
public final class PeerIdentity {
  static final String URI_PREFIX = "urn:hmb:participant:";
  private static final int SAN_URI = 6;

  private PeerIdentity() {}

  static String uriFor(String participantCode) {
    return URI_PREFIX + participantCode;
  }

  /** The participant code of the TLS peer, or empty when the session has no such certificate. */
  public static Optional<String> participantCode(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return Optional.empty();
      }
      return participantCode(leaf);
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  /** The participant code in a certificate's SAN URI, if any. */
  public static Optional<String> participantCode(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return Optional.empty();
      }
      for (List<?> name : names) {
        if (((Integer) name.get(0)) == SAN_URI && name.get(1) instanceof String uri
            && uri.startsWith(URI_PREFIX) && uri.length() > URI_PREFIX.length()) {
          return Optional.of(uri.substring(URI_PREFIX.length()));
        }
      }
      return Optional.empty();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
  }
}
