package io.hmb.security.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a certificate of the hmb CA may be used for, read from its SAN URI and extended key usage. Each
 * profile is issued separately ({@link DevCertificateAuthority}); docs/security.md "Certificate profiles".
 *
 * <ul>
 *   <li>{@link #GATEWAY_SERVER}: serverAuth only, {@code urn:hmb:gateway} and the host names the operator
 *       configured. What participants check when they connect to the gateway.
 *   <li>{@link #GATEWAY_CLIENT}: clientAuth only, {@code urn:hmb:gateway}, no host names. The gateway
 *       presents it to endpoints; endpoints admit nothing else.
 *   <li>{@link #PARTICIPANT_CLIENT}: clientAuth only, {@code urn:hmb:participant:CODE}, no host names. A
 *       participant calling the gateway. It cannot serve TLS.
 *   <li>{@link #ENDPOINT_SERVER}: serverAuth only, {@code urn:hmb:participant:CODE} and the endpoint's host
 *       names. The gateway pushes and forwards to an endpoint only if it presents its recipient's.
 *   <li>{@link #LEGACY_PARTICIPANT}: both EKUs, {@code urn:hmb:participant:CODE}: what {@code issue-cert}
 *       made before the profiles. Still admitted as its participant's client certificate and as that same
 *       participant's endpoint certificate, so old data directories keep working; re-issue to retire it.
 * </ul>
 */
public enum CertificateProfile {
  GATEWAY_SERVER, GATEWAY_CLIENT, PARTICIPANT_CLIENT, ENDPOINT_SERVER, LEGACY_PARTICIPANT,
  /** Anything else: no hmb identity, or an identity with an EKU this project never issues with it. */
  OTHER;

  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  /** The profile a certificate was issued under. */
  public static CertificateProfile of(X509Certificate certificate) {
    boolean server = allows(certificate, SERVER_AUTH);
    boolean client = allows(certificate, CLIENT_AUTH);
    if (PeerIdentity.isGateway(certificate)) {
      return server && !client ? GATEWAY_SERVER : client && !server ? GATEWAY_CLIENT : OTHER;
    }
    if (PeerIdentity.participantCode(certificate).isEmpty()) {
      return OTHER;
    }
    if (server && client) {
      return LEGACY_PARTICIPANT;
    }
    return server ? ENDPOINT_SERVER : client ? PARTICIPANT_CLIENT : OTHER;
  }

  /** Whether the certificate's extended key usage allows {@code purpose} (no EKU extension allows any). */
  static boolean allows(X509Certificate certificate, String purpose) {
    try {
      List<String> usages = certificate.getExtendedKeyUsage();
      return usages == null || usages.contains(purpose) || usages.contains("2.5.29.37.0");
    } catch (CertificateParsingException e) {
      return false;
    }
  }
}
