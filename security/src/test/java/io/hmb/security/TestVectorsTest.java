package io.hmb.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.replay.InMemoryReplayGuard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.BigIntegers;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Published test vectors (src/test/resources/vectors/*.json): (a) regenerating them from fixed keys
 * and fixed randomness gives exactly the committed files; (b) the committed files open, and every
 * intermediate value checks out with plain BouncyCastle primitives. To rewrite the files after an
 * intended format change: {@code mvn -pl security test -Dtest=TestVectorsTest -Dhmb.vectors.write=true}.
 */
class TestVectorsTest {
  static final Path DIR = Path.of("src/test/resources/vectors");
  static final Instant CREATE = Instant.parse("2026-03-01T02:00:00Z");
  static final Instant VERIFY_AT = Instant.parse("2026-03-01T02:00:30Z");

  static String fileName(CipherSuite suite) {
    return suite == CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3 ? "envelope-sm2-sm4-gcm-sm3.json"
        : "envelope-p256-aes256-gcm-sha256.json";
  }

  static String generate(CipherSuite suite) throws Exception {
    String tag = suite == CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3 ? "gm" : "nist";
    PrivateKeyHandle sender = PrivateKeyHandle.generate(suite, new CounterRandom("hmb-vector-" + tag + "-sender"));
    PrivateKeyHandle recipient = PrivateKeyHandle.generate(suite, new CounterRandom("hmb-vector-" + tag + "-recipient"));
    EnvelopeHeader header = EnvelopeHeader.newBuilder()
        .setMessageId("0b7e3f5c-6a51-4d8e-9b0f-2f1c3a4d5e6f")
        .setIdempotencyKey("cq-20260301-0001")
        .setSender(Fixtures.BUREAU)
        .setRecipient(Fixtures.INSURER)
        .setMessageType(io.hmb.api.v1.MessageType.MESSAGE_TYPE_COVERAGE_QUERY)
        .setAdmdvs("210200")
        .setCreateTime(Fixtures.ts(CREATE))
        .setExpireTime(Fixtures.ts(CREATE.plusSeconds(3600)))
        .setProductCode("dalian-2026")
        .build();
    CoverageQuery payload = Fixtures.payload();
    SealedEnvelope env = Sealer.withFixedRandomnessForTestVectors(EnvelopePolicy.defaults(),
        new CounterRandom("hmb-vector-" + tag + "-seal")).seal(header, payload, sender, recipient.publicKey());

    byte[] h = env.getHeader().toByteArray();
    byte[] w = env.getWrappedKey().toByteArray();
    byte[] c = env.getCiphertext().toByteArray();
    Suite impl = Suite.of(suite);
    byte[] contentKey = impl.unwrap(recipient, w, h);

    Map<String, String> v = new LinkedHashMap<>();
    v.put("description", "hmb.v1 SealedEnvelope test vector, " + suite.name() + "; see docs/envelope.md");
    v.put("suite", suite.name());
    v.put("randomness", "SHA-256(seed || 8-byte big-endian counter) stream with seeds hmb-vector-" + tag
        + "-{sender,recipient,seal}; bytes beyond the listed intermediates are consumed in BouncyCastle 1.87's order");
    v.put("verify_at", VERIFY_AT.toString());
    v.put("sender_participant", Fixtures.BUREAU);
    v.put("sender_private_key_pkcs8", Hex.toHexString(sender.toPkcs8Der(InsecureSecretAccess.get())));
    v.put("sender_public_key_spki", Hex.toHexString(sender.publicKey().toSpkiDer()));
    v.put("sender_key_id", sender.keyId());
    v.put("recipient_participant", Fixtures.INSURER);
    v.put("recipient_private_key_pkcs8", Hex.toHexString(recipient.toPkcs8Der(InsecureSecretAccess.get())));
    v.put("recipient_public_key_spki", Hex.toHexString(recipient.publicKey().toSpkiDer()));
    v.put("recipient_key_id", recipient.keyId());
    v.put("payload_type", "hmb.v1.CoverageQuery");
    v.put("payload", Hex.toHexString(payload.toByteArray()));
    v.put("header", Hex.toHexString(h));
    v.put("nonce", Hex.toHexString(EnvelopeHeader.parseFrom(h).getNonce().toByteArray()));
    v.put("content_key", Hex.toHexString(contentKey));
    v.put("iv", Hex.toHexString(Arrays.copyOf(c, 12)));
    if (suite == CipherSuite.CIPHER_SUITE_P256_AES256_GCM_SHA256) {
      v.put("ecdh_shared_secret_x", Hex.toHexString(ecdh(recipient, w)));
      v.put("hkdf_info", Hex.toHexString(hkdfInfo(w, recipient.publicKey().parameters().getQ().getEncoded(false), h)));
    }
    v.put("wrapped_key", Hex.toHexString(w));
    v.put("ciphertext", Hex.toHexString(c));
    v.put("signing_input", Hex.toHexString(SigningInput.bytes(h, w, c)));
    v.put("signature", Hex.toHexString(env.getSignature().toByteArray()));
    v.put("envelope", Hex.toHexString(env.toByteArray()));
    StringBuilder json = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, String> e : v.entrySet()) {
      json.append("  \"").append(e.getKey()).append("\": \"").append(e.getValue()).append('"')
          .append(++i < v.size() ? ",\n" : "\n");
    }
    return json.append("}\n").toString();
  }

  static byte[] ecdh(PrivateKeyHandle recipient, byte[] ephemeralPoint) {
    ECDHBasicAgreement a = new ECDHBasicAgreement();
    a.init(recipient.parameters());
    ECPublicKeyParameters e = new ECPublicKeyParameters(
        Suite.NIST.domain().getCurve().decodePoint(ephemeralPoint), Suite.NIST.domain());
    return BigIntegers.asUnsignedByteArray(32, a.calculateAgreement(e));
  }

  /** The HKDF info, built here independently of Suite: label || E || R || SHA-256(header). */
  static byte[] hkdfInfo(byte[] e, byte[] r, byte[] header) {
    byte[] label = "HMB-ENVELOPE-V1/P256-ECDH-HKDF-SHA256/AES-256-GCM\0".getBytes(StandardCharsets.US_ASCII);
    return org.bouncycastle.util.Arrays.concatenate(label, e, r, Suite.digest(new SHA256Digest(), header));
  }

  static Map<String, String> read(CipherSuite suite) throws Exception {
    String text = Files.readString(DIR.resolve(fileName(suite)));
    Map<String, String> v = new LinkedHashMap<>();
    Matcher m = Pattern.compile("\"([a-z0-9_]+)\": \"([^\"]*)\"").matcher(text);
    while (m.find()) {
      v.put(m.group(1), m.group(2));
    }
    return v;
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void regeneratingGivesTheCommittedBytes(CipherSuite suite) throws Exception {
    String fresh = generate(suite);
    assertThat(generate(suite)).isEqualTo(fresh); // deterministic
    Path file = DIR.resolve(fileName(suite));
    if (Boolean.getBoolean("hmb.vectors.write")) {
      Files.createDirectories(DIR);
      Files.writeString(file, fresh);
    }
    assertThat(Files.readString(file)).isEqualTo(fresh);
  }

  @ParameterizedTest
  @EnumSource(value = CipherSuite.class, names = {"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  void committedVectorsOpenAndEveryIntermediateChecksOut(CipherSuite suite) throws Exception {
    Map<String, String> v = read(suite);
    PrivateKeyHandle recipient = PrivateKeyHandle.fromPkcs8Der(Hex.decode(v.get("recipient_private_key_pkcs8")),
        InsecureSecretAccess.get());
    PublicKeyHandle sender = PublicKeyHandle.fromSpkiDer(Hex.decode(v.get("sender_public_key_spki")));
    assertThat(sender.keyId()).isEqualTo(v.get("sender_key_id"));
    assertThat(recipient.keyId()).isEqualTo(v.get("recipient_key_id"));

    SealedEnvelope env = SealedEnvelope.parseFrom(Hex.decode(v.get("envelope")));
    Clock at = Clock.fixed(Instant.parse(v.get("verify_at")), ZoneOffset.UTC);
    OpenedMessage<CoverageQuery> opened = Opener.builder(v.get("recipient_participant")).clock(at)
        .replayGuard(new InMemoryReplayGuard(at)).build().open(env, recipient, sender, CoverageQuery.parser());
    assertThat(opened.payload().toByteString()).isEqualTo(ByteString.copyFrom(Hex.decode(v.get("payload"))));
    KeyDirectory dir = new KeyDirectory().register(v.get("sender_participant"), sender, CREATE.minusSeconds(86400),
        CREATE.plusSeconds(86400));
    assertThat(EnvelopeVerifier.builder(dir).clock(at).replayGuard(new InMemoryReplayGuard(at)).build()
        .verify(env).messageId()).isEqualTo("0b7e3f5c-6a51-4d8e-9b0f-2f1c3a4d5e6f");

    // the pieces, checked with plain primitives and the layout in docs/envelope.md
    byte[] h = Hex.decode(v.get("header"));
    byte[] w = Hex.decode(v.get("wrapped_key"));
    byte[] c = Hex.decode(v.get("ciphertext"));
    assertThat(env.getHeader().toByteArray()).isEqualTo(h);
    assertThat(Arrays.copyOf(c, 12)).isEqualTo(Hex.decode(v.get("iv")));
    byte[] si = Hex.decode(v.get("signing_input"));
    assertThat(new String(si, 0, 16, StandardCharsets.US_ASCII)).isEqualTo("HMB-ENVELOPE-V1\0");
    assertThat(si).isEqualTo(org.bouncycastle.util.Arrays.concatenate(new byte[][] {
        Arrays.copyOf(si, 16), be32(h.length), h, be32(w.length), w, be32(c.length), c}));
    assertThat(ASN1Sequence.getInstance(Hex.decode(v.get("signature"))).size()).isEqualTo(2);

    byte[] key = Hex.decode(v.get("content_key"));
    if (suite == CipherSuite.CIPHER_SUITE_P256_AES256_GCM_SHA256) {
      assertThat(ecdh(recipient, w)).isEqualTo(Hex.decode(v.get("ecdh_shared_secret_x")));
      byte[] info = hkdfInfo(w, recipient.publicKey().parameters().getQ().getEncoded(false), h);
      assertThat(info).isEqualTo(Hex.decode(v.get("hkdf_info")));
      HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
      hkdf.init(new HKDFParameters(Hex.decode(v.get("ecdh_shared_secret_x")), null, info));
      byte[] derived = new byte[32];
      hkdf.generateBytes(derived, 0, 32);
      assertThat(derived).isEqualTo(key);
    } else {
      assertThat(key).hasSize(16);
      assertThat(w).hasSize(113);
    }
    BlockCipher cipher = suite == CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3 ? new SM4Engine() : AESEngine.newInstance();
    GCMModeCipher gcm = GCMBlockCipher.newInstance(cipher);
    gcm.init(false, new AEADParameters(new KeyParameter(key), 128, Arrays.copyOf(c, 12), h));
    byte[] out = new byte[gcm.getOutputSize(c.length - 12)];
    int n = gcm.processBytes(c, 12, c.length - 12, out, 0);
    gcm.doFinal(out, n);
    assertThat(out).isEqualTo(Hex.decode(v.get("payload")));
  }

  private static byte[] be32(int n) {
    return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }
}
