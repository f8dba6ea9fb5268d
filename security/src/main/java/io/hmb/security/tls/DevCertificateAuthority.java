package io.hmb.security.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development certificate authority: issues the TLS certificates that bind a participant code to a
 * TLS client identity (mTLS) and the gateway's server certificate. ECDSA P-256, TLS 1.3 friendly.
 *
 * <p>Guarantees: each certificate is of exactly one {@link CertificateProfile}: a participant's client
 * certificate, its endpoint certificate, the gateway's server or client certificate, each with only the
 * extended key usage of its side. Participant certificates carry the SAN URI
 * {@code urn:hmb:participant:CODE}, the gateway's {@code urn:hmb:gateway} ({@link PeerIdentity}). Does not guarantee: any
 * protection of the CA key beyond file permissions. Production deployments use their own CA and only
 * need it to issue the same profiles (SAN URI and extended key usage; docs/security.md "Certificate profiles").
 */
public final class DevCertificateAuthority {

  /** Default validity of issued certificates. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(397);
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private final X509Certificate caCertificate;
  private final PrivateKey caKey;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  private DevCertificateAuthority(X509Certificate caCertificate, PrivateKey caKey, Clock clock) {
    this.caCertificate = caCertificate;
    this.caKey = caKey;
    this.clock = clock;
  }

  /** A new CA with a fresh key. */
  public static DevCertificateAuthority create(String name, Clock clock) throws GeneralSecurityException {
    KeyPair pair = newKeyPair();
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "hmb development").addRDN(BCStyle.CN, name).build();
    Instant now = clock.instant();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          serial(new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
          Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = toCertificate(builder.build(signer(pair.getPrivate())));
      return new DevCertificateAuthority(cert, pair.getPrivate(), clock);
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException("could not create the development CA", e);
    }
  }

  /** Loads a CA written by {@link #writeTo(Path)}. */
  public static DevCertificateAuthority load(Path dir, Clock clock) throws IOException, GeneralSecurityException {
    X509Certificate cert = Pem.readCertificates(dir.resolve("ca.crt")).get(0);
    PrivateKey key = Pem.readPrivateKey(dir.resolve("ca.key"));
    return new DevCertificateAuthority(cert, key, clock);
  }

  /** Loads the CA in {@code dir}, or creates and writes one there when there is none. */
  public static DevCertificateAuthority loadOrCreate(Path dir, String name, Clock clock)
      throws IOException, GeneralSecurityException {
    if (Files.exists(dir.resolve("ca.crt")) && Files.exists(dir.resolve("ca.key"))) {
      return load(dir, clock);
    }
    DevCertificateAuthority ca = create(name, clock);
    ca.writeTo(dir);
    return ca;
  }

  /** Writes ca.crt and ca.key (owner-only permissions where the file system has them). */
  public void writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    Pem.write(dir.resolve("ca.crt"), Pem.encode(caCertificate));
    Pem.writeSecret(dir.resolve("ca.key"), Pem.encode(caKey));
  }

  public X509Certificate certificate() {
    return caCertificate;
  }

  /** The development default for the gateway's and endpoints' server names. */
  public static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1");

  /**
   * A participant's TLS client certificate ({@link CertificateProfile#PARTICIPANT_CLIENT}): clientAuth only,
   * the SAN URI {@code urn:hmb:participant:CODE} and no host name, so it can call the gateway and nothing
   * can serve with it. A fresh P-256 key.
   */
  public TlsIdentity issueParticipant(String participantCode, Duration validity) throws GeneralSecurityException {
    return issue(participantCode, List.of(participantUri(participantCode)), Purpose.CLIENT, validity);
  }

  /**
   * A participant's endpoint certificate ({@link CertificateProfile#ENDPOINT_SERVER}): serverAuth only, the
   * participant's SAN URI and the host names and IP addresses the gateway dials ({@code names}, each a DNS
   * name or an IP literal). The gateway pushes and forwards to the participant only over it.
   */
  public TlsIdentity issueEndpoint(String participantCode, List<String> names, Duration validity)
      throws GeneralSecurityException {
    List<GeneralName> altNames = new ArrayList<>();
    altNames.add(participantUri(participantCode));
    altNames.addAll(hostNames(names));
    return issue(participantCode + " endpoint", altNames, Purpose.SERVER, validity);
  }

  /**
   * The gateway's server certificate ({@link CertificateProfile#GATEWAY_SERVER}): serverAuth only, the SAN
   * URI {@link PeerIdentity#GATEWAY_URI} and the names clients dial ({@code names}, DNS names or IP literals).
   */
  public TlsIdentity issueGatewayServer(List<String> names, Duration validity) throws GeneralSecurityException {
    List<GeneralName> altNames = new ArrayList<>();
    altNames.add(new GeneralName(GeneralName.uniformResourceIdentifier, PeerIdentity.GATEWAY_URI));
    altNames.addAll(hostNames(names));
    return issue("gateway", altNames, Purpose.SERVER, validity);
  }

  /**
   * The gateway's client certificate ({@link CertificateProfile#GATEWAY_CLIENT}): clientAuth only, the SAN
   * URI {@link PeerIdentity#GATEWAY_URI}, no host name; what endpoints admit.
   */
  public TlsIdentity issueGatewayClient(Duration validity) throws GeneralSecurityException {
    return issue("gateway client", List.of(new GeneralName(GeneralName.uniformResourceIdentifier,
        PeerIdentity.GATEWAY_URI)), Purpose.CLIENT, validity);
  }

  /**
   * A certificate of the profile {@code issue-cert} used before the profiles existed
   * ({@link CertificateProfile#LEGACY_PARTICIPANT}: both EKUs, the participant URI, localhost and 127.0.0.1).
   * Never issued for use; for the tests and conformance fixture that show such certificates still work where
   * they should and nowhere else.
   */
  public TlsIdentity issueLegacyParticipant(String participantCode, Duration validity) throws GeneralSecurityException {
    List<GeneralName> names = new ArrayList<>();
    names.add(participantUri(participantCode));
    names.addAll(hostNames(LOCAL_NAMES));
    return issue(participantCode, names, Purpose.BOTH, validity);
  }

  /** A plain TLS server certificate for host names only, no hmb identity (the echo baseline). */
  public TlsIdentity issueServer(String commonName, List<String> dnsNames, List<String> ipAddresses,
      Duration validity) throws GeneralSecurityException {
    List<String> all = new ArrayList<>(dnsNames);
    all.addAll(ipAddresses);
    return issue(commonName, hostNames(all), Purpose.SERVER, validity);
  }

  private enum Purpose { CLIENT, SERVER, BOTH }

  private static GeneralName participantUri(String participantCode) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, PeerIdentity.uriFor(participantCode));
  }

  /** DNS names and IP literals as SAN entries; an IP literal (IPv4 dotted or IPv6 with a colon) is an iPAddress. */
  static List<GeneralName> hostNames(List<String> names) {
    List<GeneralName> out = new ArrayList<>();
    for (String name : names) {
      if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9.:*-]{1,253}")) {
        throw new IllegalArgumentException("not a host name or IP address: " + name);
      }
      out.add(isIpLiteral(name) ? new GeneralName(GeneralName.iPAddress, name) : new GeneralName(GeneralName.dNSName, name));
    }
    return out;
  }

  static boolean isIpLiteral(String name) {
    return name.contains(":") || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private TlsIdentity issue(String commonName, List<GeneralName> altNames, Purpose purpose, Duration validity)
      throws GeneralSecurityException {
    KeyPair pair = newKeyPair();
    Instant now = clock.instant();
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "hmb participant").addRDN(BCStyle.CN, commonName).build();
    KeyPurposeId[] purposes = switch (purpose) {
      case CLIENT -> new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
      case SERVER -> new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth};
      case BOTH -> new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
    };
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(random),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
          .addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(altNames.toArray(GeneralName[]::new)))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCertificate))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = toCertificate(builder.build(signer(caKey)));
      return new TlsIdentity(List.of(cert, caCertificate), pair.getPrivate());
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException("could not issue a certificate", e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
  }

  private static X509Certificate toCertificate(X509CertificateHolder holder) throws GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(127, random).add(BigInteger.ONE);
  }

  /** PEM reading and writing of certificates and PKCS#8 private keys. */
  public static final class Pem {
    private Pem() {}

    /** PEM of a certificate, or of a private key as PKCS#8 ("PRIVATE KEY"), which {@link #readPrivateKey} reads. */
    public static String encode(Object object) {
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        if (object instanceof PrivateKey key) {
          // JcaPEMWriter would write SEC1 "EC PRIVATE KEY" without the public key, which does not load back.
          writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", key.getEncoded()));
          writer.flush();
          return out.toString();
        }
        writer.writeObject(object);
      } catch (IOException e) {
        throw new IllegalStateException("PEM encoding failed", e);
      }
      return out.toString();
    }

    /** Writes a public file (a certificate), readable by all, replacing what is there without following a link. */
    public static void write(Path path, String pem) throws IOException {
      OwnerOnlyFiles.replace(path, pem.getBytes(StandardCharsets.US_ASCII), false);
    }

    /**
     * Writes a secret (a private key) readable by its owner only from the moment it exists: the bytes go to a
     * new file created 0600 beside {@code path}, which then replaces {@code path} by an atomic rename. A
     * symbolic link planted at {@code path} is replaced, never followed.
     */
    public static void writeSecret(Path path, String pem) throws IOException {
      OwnerOnlyFiles.replace(path, pem.getBytes(StandardCharsets.US_ASCII), true);
    }

    public static List<X509Certificate> readCertificates(Path path) throws IOException, GeneralSecurityException {
      return parseCertificates(Files.readString(path, StandardCharsets.US_ASCII), String.valueOf(path.getFileName()));
    }

    /** Every certificate of a PEM text ({@code name} for the message when there is none). */
    public static List<X509Certificate> parseCertificates(String pem, String name)
        throws IOException, GeneralSecurityException {
      List<X509Certificate> certs = new ArrayList<>();
      try (PEMParser parser = new PEMParser(new StringReader(pem))) {
        Object next;
        while ((next = parser.readObject()) != null) {
          if (next instanceof X509CertificateHolder holder) {
            certs.add(toCertificate(holder));
          }
        }
      }
      if (certs.isEmpty()) {
        throw new GeneralSecurityException("no certificate in " + name);
      }
      return certs;
    }

    public static PrivateKey readPrivateKey(Path path) throws IOException, GeneralSecurityException {
      return parsePrivateKey(Files.readString(path, StandardCharsets.US_ASCII), String.valueOf(path.getFileName()));
    }

    /** The first private key of a PEM text: PKCS#8 ("PRIVATE KEY") or PKCS#1/SEC1; not an encrypted one. */
    public static PrivateKey parsePrivateKey(String pem, String name) throws IOException, GeneralSecurityException {
      try (PEMParser parser = new PEMParser(new StringReader(pem))) {
        Object object = parser.readObject();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (object instanceof org.bouncycastle.openssl.PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        // Never echo the content: it may be key material.
        throw new GeneralSecurityException("no PKCS#8 private key in " + name);
      }
    }
  }
}
