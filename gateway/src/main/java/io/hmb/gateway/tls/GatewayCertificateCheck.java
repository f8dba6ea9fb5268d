package io.hmb.gateway.tls;

import io.hmb.security.tls.DevCertificateAuthority;
import io.hmb.security.tls.ExpectedPeer;
import io.hmb.security.tls.PeerIdentity;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * What a certificate the gateway presents must be, checked at start-up and before a reloaded one is used:
 * readable PEM, a key that belongs to the certificate, valid now, and what its peers check of the gateway
 * (docs/security.md "Certificate profiles"): the SAN URI {@code urn:hmb:gateway}, no participant's, and
 * serverAuth for the server certificate (participants check it), clientAuth for the client certificate
 * (endpoints check it). Each refusal is one line ({@link IllegalArgumentException}) naming the file and what
 * is missing; never the key's content.
 */
final class GatewayCertificateCheck {
  private GatewayCertificateCheck() {}

  /** A checked server identity: the chain as given (leaf first) and its key. */
  record Identity(X509Certificate[] chain, PrivateKey key) {}

  /** Which of the gateway's certificates, and who checks it. */
  enum Side {
    SERVER("participants", "serverAuth"), CLIENT("participants' endpoints", "clientAuth");

    final String checkedBy;
    final String usage;

    Side(String checkedBy, String usage) {
      this.checkedBy = checkedBy;
      this.usage = usage;
    }
  }

  static Identity identity(Side side, TlsFiles.File certificateFile, TlsFiles.File keyFile, byte[] certificatePem,
      byte[] keyPem, Instant now) {
    List<X509Certificate> chain = certificates(certificateFile, certificatePem);
    PrivateKey key;
    try {
      key = DevCertificateAuthority.Pem.parsePrivateKey(new String(keyPem, StandardCharsets.US_ASCII), "");
    } catch (Exception e) {
      throw new IllegalArgumentException(keyFile.label() + " holds no private key this gateway reads: PEM "
          + "\"PRIVATE KEY\" (PKCS#8) or \"EC/RSA PRIVATE KEY\", not encrypted");
    }
    X509Certificate leaf = chain.get(0);
    if (!belongTogether(key, leaf)) {
      throw new IllegalArgumentException(keyFile.label() + " is not the key of the certificate in "
          + certificateFile.label() + " (" + describe(leaf) + "): give the pair the CA issued together");
    }
    requireValid(certificateFile, leaf, now);
    if (!PeerIdentity.isGateway(leaf)) {
      throw new IllegalArgumentException(certificateFile.label() + " (" + describe(leaf) + ") lacks the SAN URI "
          + PeerIdentity.GATEWAY_URI + ", which " + side.checkedBy + " require of the gateway: have the CA add it "
          + "(docs/security.md, Certificate profiles)");
    }
    ExpectedPeer.gateway().refusal(leaf, side == Side.SERVER).ifPresent(why -> {
      throw new IllegalArgumentException(certificateFile.label() + ": " + side.checkedBy + " would refuse it: " + why
          + " (its extended key usage needs " + side.usage + "; docs/security.md, Certificate profiles)");
    });
    return new Identity(chain.toArray(X509Certificate[]::new), key);
  }

  /** The participants' CAs: at least one certificate, and at least one of them valid now. */
  static X509Certificate[] participantCas(TlsFiles.File file, byte[] pem, Instant now) {
    List<X509Certificate> authorities = certificates(file, pem);
    Date at = Date.from(now);
    if (authorities.stream().noneMatch(ca -> validAt(ca, at))) {
      throw new IllegalArgumentException(file.label() + ": no certificate in it is valid now (" + describe(
          authorities.get(0)) + " is valid " + authorities.get(0).getNotBefore().toInstant() + " to "
          + authorities.get(0).getNotAfter().toInstant() + ")");
    }
    return authorities.toArray(X509Certificate[]::new);
  }

  private static List<X509Certificate> certificates(TlsFiles.File file, byte[] pem) {
    try {
      return DevCertificateAuthority.Pem.parseCertificates(new String(pem, StandardCharsets.US_ASCII), "");
    } catch (Exception e) {
      throw new IllegalArgumentException(file.label() + " holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\")");
    }
  }

  private static void requireValid(TlsFiles.File file, X509Certificate leaf, Instant now) {
    try {
      leaf.checkValidity(Date.from(now));
    } catch (CertificateExpiredException e) {
      throw new IllegalArgumentException(file.label() + " (" + describe(leaf) + ") expired at "
          + leaf.getNotAfter().toInstant() + ": install a renewed one");
    } catch (CertificateNotYetValidException e) {
      throw new IllegalArgumentException(file.label() + " (" + describe(leaf) + ") is not valid before "
          + leaf.getNotBefore().toInstant() + ": check this host's clock, or wait");
    }
  }

  private static boolean validAt(X509Certificate certificate, Date at) {
    return !at.before(certificate.getNotBefore()) && !at.after(certificate.getNotAfter());
  }

  /** Whether the key signs what the certificate's public key verifies: for EC, RSA and Ed25519 keys. */
  private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** "CN=gateway, SAN dns:gateway.hmb.test uri:urn:hmb:gateway, until 2027-01-05T...": for messages and logs. */
  static String describe(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          String kind = type == 2 ? "dns" : type == 7 ? "ip" : type == 6 ? "uri" : null;
          if (kind != null) {
            names.add(kind + ":" + san.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      names.add("(unreadable)");
    }
    return certificate.getSubjectX500Principal().getName() + ", SAN " + (names.isEmpty() ? "none"
        : String.join(" ", names)) + ", until " + certificate.getNotAfter().toInstant();
  }
}
