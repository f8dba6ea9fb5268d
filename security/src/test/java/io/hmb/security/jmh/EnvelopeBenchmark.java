package io.hmb.security.jmh;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Timestamp;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.EnvelopeException;
import io.hmb.security.OpenedMessage;
import io.hmb.security.Opener;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.PublicKeyHandle;
import io.hmb.security.Sealer;
import io.hmb.security.replay.ReplayGuard;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Seal and open throughput, single thread, with keys parsed once and signers cached per key (as the
 * gateway and SDK use them). Opening the same envelope repeatedly needs the replay check off
 * ({@link ReplayGuard#deferredToCaller()}); everything else (parse, field and time checks, signature,
 * unwrap, AEAD, payload parse) runs. Run with security/bench.sh; figures in
 * docs/performance-security.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class EnvelopeBenchmark {
  @Param({"CIPHER_SUITE_SM2_SM4_GCM_SM3", "CIPHER_SUITE_P256_AES256_GCM_SHA256"})
  public String suite;

  @Param({"1024", "16384"})
  public int payloadBytes;

  private Sealer sealer;
  private Opener opener;
  private PrivateKeyHandle sender;
  private PrivateKeyHandle recipient;
  private PublicKeyHandle senderPublic;
  private PublicKeyHandle recipientPublic;
  private EnvelopeHeader header;
  private BytesValue payload;
  private SealedEnvelope sealed;

  @Setup
  public void setUp() throws EnvelopeException {
    CipherSuite s = CipherSuite.valueOf(suite);
    sender = PrivateKeyHandle.generate(s);
    recipient = PrivateKeyHandle.generate(s);
    senderPublic = sender.publicKey();
    recipientPublic = recipient.publicKey();
    Instant now = Instant.parse("2026-03-01T02:00:00Z");
    header = EnvelopeHeader.newBuilder()
        .setMessageId("0b7e3f5c-6a51-4d8e-9b0f-2f1c3a4d5e6f")
        .setSender("BUREAU-210200").setRecipient("INSURER-PICC-DL")
        .setMessageType(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA).setAdmdvs("210200")
        .setCreateTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
        .setExpireTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond() + 3600))
        .build();
    payload = BytesValue.of(ByteString.copyFrom(new byte[payloadBytes - 4]));
    sealer = Sealer.create();
    opener = Opener.builder("INSURER-PICC-DL").clock(Clock.fixed(now, ZoneOffset.UTC))
        .replayGuard(ReplayGuard.deferredToCaller()).build();
    sealed = sealer.seal(header, payload, sender, recipientPublic);
  }

  @Benchmark
  public SealedEnvelope seal() throws EnvelopeException {
    return sealer.seal(header, payload, sender, recipientPublic);
  }

  @Benchmark
  public OpenedMessage<BytesValue> open() throws EnvelopeException {
    return opener.open(sealed, recipient, senderPublic, BytesValue.parser());
  }

  /** One seal followed by opening that envelope: the "pair" the throughput target counts. */
  @Benchmark
  public OpenedMessage<BytesValue> sealThenOpen() throws EnvelopeException {
    return opener.open(sealer.seal(header, payload, sender, recipientPublic), recipient, senderPublic,
        BytesValue.parser());
  }
}
