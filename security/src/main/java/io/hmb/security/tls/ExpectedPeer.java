package io.hmb.security.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * Whom a TLS connection must reach (or admit): the gateway, or one participant. Checked on the leaf
 * certificate after the CA chain verified ({@link MutualTls}): the SAN URI names the expected identity
 * and the extended key usage allows the side it plays.
 */
public final class ExpectedPeer {
  private final String participantCode; // null: the gateway

  private ExpectedPeer(String participantCode) {
    this.participantCode = participantCode;
  }

  /** The gateway ({@code urn:hmb:gateway}). */
  public static ExpectedPeer gateway() {
    return new ExpectedPeer(null);
  }

  /** One participant ({@code urn:hmb:participant:CODE}). */
  public static ExpectedPeer participant(String code) {
    return new ExpectedPeer(Objects.requireNonNull(code, "code"));
  }

  /**
   * Why {@code leaf} would be refused as this peer's server (or client) certificate, or empty if it would
   * not: for a start-up check of a certificate an operator brought.
   */
  public Optional<String> refusal(X509Certificate leaf, boolean asServer) {
    try {
      check(leaf, asServer);
      return Optional.empty();
    } catch (CertificateException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Throws unless {@code leaf} carries this identity and may act as a TLS server (or client). */
  void check(X509Certificate leaf, boolean asServer) throws CertificateException {
    String side = asServer ? "server" : "client";
    if (!CertificateProfile.allows(leaf, asServer ? CertificateProfile.SERVER_AUTH : CertificateProfile.CLIENT_AUTH)) {
      throw new CertificateException("the " + side + "'s certificate (" + describe(leaf) + ") is not for TLS "
          + side + " authentication");
    }
    boolean matches = participantCode == null ? PeerIdentity.isGateway(leaf)
        : PeerIdentity.participantCode(leaf).filter(participantCode::equals).isPresent();
    if (!matches) {
      throw new CertificateException("the " + side + " is not " + this + ": its certificate names "
          + describe(leaf));
    }
  }

  private static String describe(X509Certificate leaf) {
    if (PeerIdentity.isGateway(leaf)) {
      return "the gateway";
    }
    Optional<String> code = PeerIdentity.participantCode(leaf);
    return code.map(c -> "participant " + c).orElse("no hmb identity");
  }

  @Override
  public String toString() {
    return participantCode == null ? "the gateway" : "participant " + participantCode;
  }
}
