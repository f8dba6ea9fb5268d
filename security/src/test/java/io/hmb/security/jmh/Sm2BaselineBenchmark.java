package io.hmb.security.jmh;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Baseline: one bare BouncyCastle SM2 sign plus one verify of 32 bytes, with both SM2Signer objects
 * initialised once and reused. The envelope figures are read as ratios against this.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class Sm2BaselineBenchmark {
  private final byte[] message = new byte[32];
  private SM2Signer signer;
  private SM2Signer verifier;

  @Setup
  public void setUp() {
    ECNamedDomainParameters sm2 = ECNamedDomainParameters.lookup(GMObjectIdentifiers.sm2p256v1);
    ECKeyPairGenerator gen = new ECKeyPairGenerator();
    gen.init(new ECKeyGenerationParameters(sm2, new SecureRandom()));
    AsymmetricCipherKeyPair kp = gen.generateKeyPair();
    byte[] id = "1234567812345678".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    signer = new SM2Signer(StandardDSAEncoding.INSTANCE, new SM3Digest());
    signer.init(true, new ParametersWithID(new ParametersWithRandom(kp.getPrivate(), new SecureRandom()), id));
    verifier = new SM2Signer(StandardDSAEncoding.INSTANCE, new SM3Digest());
    verifier.init(false, new ParametersWithID(kp.getPublic(), id));
  }

  @Benchmark
  public boolean sm2SignThenVerify() throws CryptoException {
    signer.update(message, 0, message.length);
    byte[] sig = signer.generateSignature();
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(sig);
  }
}
