package io.hmb.bench;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.Timestamp;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.Gateway;
import io.hmb.gateway.registry.Participant;
import io.hmb.security.EnvelopeException;
import io.hmb.security.OpenedMessage;
import io.hmb.security.Opener;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.Sealer;
import io.hmb.security.replay.InMemoryReplayGuard;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One participant as its own system would be: an SM2 key registered in the gateway, an mTLS certificate
 * from the gateway's CA, one channel to the gateway, and sealing and opening as the SDK does (replay
 * guard included). Built without the gateway for the crypto ceiling.
 */
final class Party implements AutoCloseable {
  static final Sealer SEALER = Sealer.create();

  final String code;
  final Role role;
  final String admdvs;
  final PrivateKeyHandle key;
  final TlsIdentity tls;
  final ManagedChannel channel;
  private final Opener opener;

  private Party(String code, Role role, String admdvs, TlsIdentity tls, ManagedChannel channel) {
    this(code, role, admdvs, PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3), tls, channel,
        Opener.builder(code).replayGuard(new InMemoryReplayGuard(Clock.systemUTC())).build());
  }

  private Party(String code, Role role, String admdvs, PrivateKeyHandle key, TlsIdentity tls, ManagedChannel channel,
      Opener opener) {
    this.code = code;
    this.role = role;
    this.admdvs = admdvs;
    this.key = key;
    this.tls = tls;
    this.channel = channel;
    this.opener = opener;
  }

  /** The same participant (key, certificate, replay guard) calling over another channel, e.g. round robin. */
  Party overChannel(ManagedChannel other) {
    return new Party(code, role, admdvs, key, tls, other, opener);
  }

  /** A participant with keys but no gateway: for the crypto ceiling. */
  static Party offline(String code, Role role, String admdvs) {
    return new Party(code, role, admdvs, null, null);
  }

  /** Registers the participant and its key in the gateway and opens its channel (127.0.0.1 only). */
  static Party register(Gateway gateway, String code, Role role, String admdvs) throws Exception {
    TlsIdentity tls = gateway.admin().issueTlsIdentity(code);
    ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + gateway.port(),
        MutualTls.toGateway(tls, gateway.admin().trustBundle())).build();
    Party p = new Party(code, role, admdvs, tls, channel);
    gateway.admin().addParticipant(new Participant(code, role, admdvs, code + " (bench)", Participant.Status.ACTIVE,
        Optional.empty()), p.key.publicKey());
    return p;
  }

  /** A header as a well-behaved sender fills it; the sealer adds keys, nonce, suite and digest. */
  EnvelopeHeader.Builder header(MessageType type, Party recipient) {
    Instant now = Instant.now();
    return EnvelopeHeader.newBuilder()
        .setMessageId(UUID.randomUUID().toString())
        .setSender(code)
        .setRecipient(recipient.code)
        .setMessageType(type)
        .setAdmdvs(admdvs)
        .setCreateTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setExpireTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond() + 600));
  }

  SealedEnvelope seal(EnvelopeHeader.Builder header, MessageLite payload, Party recipient) throws EnvelopeException {
    return SEALER.seal(header.build(), payload, key, recipient.key.publicKey());
  }

  <T extends MessageLite> OpenedMessage<T> open(SealedEnvelope envelope, Party sender, Parser<T> parser)
      throws EnvelopeException {
    return opener.open(envelope, key, sender.key.publicKey(), parser);
  }

  @Override
  public void close() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
