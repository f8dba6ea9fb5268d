package io.hmb.gateway.support;

import com.google.protobuf.ByteString;
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
import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.registry.Participant;
import io.hmb.security.ContentDigest;
import io.hmb.security.EnvelopeException;
import io.hmb.security.OpenedMessage;
import io.hmb.security.Opener;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.PublicKeyHandle;
import io.hmb.security.Sealer;
import io.hmb.security.replay.InMemoryReplayGuard;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A participant in a test: its SM2 key registered in the gateway, a TLS client certificate from the
 * gateway's CA, a channel to the gateway, and helpers to seal and open as the real SDK does.
 */
public final class TestParty implements AutoCloseable {
  private static final Sealer SEALER = Sealer.create();

  public final String code;
  public final Role role;
  public final String admdvs;
  public final PrivateKeyHandle key = PrivateKeyHandle.generate(CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3);
  /** The participant's TLS client certificate (calls to the gateway). */
  public final TlsIdentity tls;
  public final ManagedChannel channel;
  /** Every test party's public keys by key id, so an endpoint can seal an acknowledgement for any sender. */
  private static final java.util.Map<String, PublicKeyHandle> KEYS = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile TlsIdentity endpointTls;
  private final GatewayAdmin admin;
  private final Opener opener;

  private TestParty(GatewayAdmin admin, int port, String code, Role role, String admdvs, TlsIdentity tls)
      throws Exception {
    this.admin = admin;
    this.code = code;
    this.role = role;
    this.admdvs = admdvs;
    this.tls = tls;
    this.opener = Opener.builder(code).replayGuard(new InMemoryReplayGuard(java.time.Clock.systemUTC())).build();
    this.channel = Grpc.newChannelBuilder("localhost:" + port, MutualTls.toGateway(tls, admin.trustBundle())).build();
    KEYS.put(key.keyId(), key.publicKey());
  }

  /** The participant's endpoint certificate (serverAuth, its identity, localhost), issued on first use. */
  public synchronized TlsIdentity endpointTls() throws Exception {
    if (endpointTls == null) {
      endpointTls = admin.issueEndpointIdentity(code, java.util.List.of());
    }
    return endpointTls;
  }

  /** A public key of any test party, by key id (what an endpoint looks up in the directory). */
  public static PublicKeyHandle publicKey(String keyId) {
    PublicKeyHandle k = KEYS.get(keyId);
    if (k == null) {
      throw new IllegalStateException("no test party has key " + keyId);
    }
    return k;
  }

  /** A receipt for a delivery to this party, with its signed acknowledgement, as the SDK's endpoint answers. */
  public io.hmb.api.v1.DeliveryReceipt receiptFor(io.hmb.api.v1.Delivery delivery) {
    try {
      EnvelopeHeader delivered = EnvelopeHeader.parseFrom(delivery.getEnvelope().getHeader());
      SealedEnvelope ack = io.hmb.security.Acknowledgements.seal(SEALER, delivered,
          io.hmb.security.KeyRing.builder().add(key, Instant.EPOCH, Instant.parse("9999-12-31T00:00:00Z")).build(),
          publicKey(delivered.getSenderKeyId()), Instant.now());
      return io.hmb.api.v1.DeliveryReceipt.newBuilder().setMessageId(delivery.getMessageId()).setAcknowledgement(ack)
          .build();
    } catch (Exception e) {
      throw new AssertionError("could not acknowledge: " + e.getMessage(), e);
    }
  }

  /** Registers a participant (with its key) in the gateway and connects it. */
  public static TestParty register(Gateway gateway, String code, Role role, String admdvs, Optional<String> endpoint)
      throws Exception {
    return register(gateway.admin(), gateway.port(), code, role, admdvs, endpoint);
  }

  /** The same through any admin door, e.g. {@code GatewayAdmin.open} for a gateway in another process. */
  public static TestParty register(GatewayAdmin admin, int port, String code, Role role, String admdvs,
      Optional<String> endpoint) throws Exception {
    TestParty party = new TestParty(admin, port, code, role, admdvs, admin.issueTlsIdentity(code));
    admin.addParticipant(new Participant(code, role, admdvs, code + " (test)", Participant.Status.ACTIVE, endpoint),
        party.key.publicKey());
    return party;
  }

  public void registerKey(PublicKeyHandle publicKey, boolean primary) throws Exception {
    KEYS.put(publicKey.keyId(), publicKey);
    admin.addKey(code, publicKey, primary);
  }

  /** A header as a well-behaved sender fills it; key ids, nonce, suite and version are the sealer's. */
  public EnvelopeHeader.Builder header(MessageType type, TestParty recipient, String admdvs) {
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

  /** Seals a payload for the recipient; with an idempotency key, also sets the content digest. */
  public SealedEnvelope seal(EnvelopeHeader.Builder header, MessageLite payload, TestParty recipient) {
    if (!header.getIdempotencyKey().isEmpty()) {
      header.setContentDigest(ByteString.copyFrom(ContentDigest.compute(key.suite(), header.getIdempotencyKey(),
          header.getMessageType(), payload.toByteArray())));
    }
    try {
      return SEALER.seal(header.build(), payload, key, recipient.key.publicKey());
    } catch (EnvelopeException e) {
      throw new AssertionError("sealing failed: " + e.getMessage(), e);
    }
  }

  /** Opens an envelope addressed to this party from {@code sender}. */
  public <T extends MessageLite> OpenedMessage<T> open(SealedEnvelope envelope, TestParty sender, Parser<T> parser)
      throws EnvelopeException {
    return opener.open(envelope, key, sender.key.publicKey(), parser);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
