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
 * Reads who a TLS peer proved to be by its certificate's SAN URI: a participant
 * ({@code urn:hmb:participant:CODE}) or the gateway ({@code urn:hmb:gateway}, {@link #GATEWAY_URI}). The two
 * cannot be confused: a participant code ({@code [A-Za-z0-9._-]{1,64}}) has no colon, so no participant URI
 * equals the gateway's, and a certificate with the gateway URI names no participant. The gateway compares
 * the participant code with {@code header.sender} on every call; endpoints admit only the gateway; the
 * gateway and participants check that the server they reach is the one they meant ({@link IdentityCheck}).
 */
public final class PeerIdentity {
  static final String URI_PREFIX = "urn:hmb:participant:";
  /** The gateway's identity, in its server certificate and its client certificate (never in a participant's). */
  public static final String GATEWAY_URI = "urn:hmb:gateway";
  private static final int SAN_URI = 6;

  private PeerIdentity() {}

  static String uriFor(String participantCode) {
    return URI_PREFIX + participantCode;
  }

  /** The participant code of the TLS peer, or empty when the session has no such certificate. */
  public static Optional<String> participantCode(SSLSession session) {
    return leaf(session).flatMap(PeerIdentity::participantCode);
  }

  /** Whether the TLS peer presented a certificate with the gateway's identity. */
  public static boolean isGateway(SSLSession session) {
    return leaf(session).map(PeerIdentity::isGateway).orElse(false);
  }

  /** The participant code in a certificate's SAN URI, if any (never for a gateway certificate). */
  public static Optional<String> participantCode(X509Certificate certificate) {
    for (String uri : uris(certificate)) {
      if (uri.startsWith(URI_PREFIX) && uri.length() > URI_PREFIX.length()) {
        return Optional.of(uri.substring(URI_PREFIX.length()));
      }
    }
    return Optional.empty();
  }

  /** Whether a certificate carries the gateway's identity ({@link #GATEWAY_URI}) and no participant's. */
  public static boolean isGateway(X509Certificate certificate) {
    List<String> uris = uris(certificate);
    return uris.contains(GATEWAY_URI) && uris.stream().noneMatch(u -> u.startsWith(URI_PREFIX));
  }

  private static Optional<X509Certificate> leaf(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return Optional.empty();
      }
      return Optional.of(leaf);
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  private static List<String> uris(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return List.of();
      }
      return names.stream().filter(n -> ((Integer) n.get(0)) == SAN_URI && n.get(1) instanceof String)
          .map(n -> (String) n.get(1)).toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }
}
