package io.hmb.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.Participant;
import io.hmb.api.v1.Product;
import io.hmb.api.v1.PublicKeyInfo;
import io.hmb.api.v1.ResolveProductRequest;
import io.hmb.security.EnvelopeException;
import io.hmb.security.PublicKeyHandle;
import io.hmb.security.PublicKeyResolver;
import java.security.spec.InvalidKeySpecException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's DirectoryService, cached briefly: participants with their live public keys (to seal
 * for them and to verify what they sign) and products with their lead insurer. Thread-safe.
 *
 * <p><b>Guarantees.</b> An entry is reused for at most the TTL (60 s by default), then fetched again;
 * {@link #invalidate} drops one at once, which {@link GatewayClient} does when the gateway answers
 * KEY_UNKNOWN, KEY_REVOKED or DECRYPTION_FAILED, so a key rotation is picked up on the next attempt. As a
 * {@link PublicKeyResolver} it applies the resolver contract: unknown participant SENDER_UNKNOWN,
 * suspended SENDER_SUSPENDED, unknown key id KEY_UNKNOWN (after one refresh, at most once a second per
 * participant, so a new key is found), key outside its window KEY_REVOKED. Each public key is parsed
 * once per fetch and the handle reused (it carries the verifier cache).
 *
 * <p><b>Does not guarantee.</b> That a key revoked less than a TTL ago is refused here: the gateway
 * refuses it. Failures to reach the directory surface as {@link GatewayException}.
 */
public final class DirectoryCache implements PublicKeyResolver {
  /** Default time an entry is reused. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
  private static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);

  /** A participant's key with its validity window. */
  private record Key(PublicKeyHandle handle, Instant notBefore, Instant notAfter, boolean primary) {
    boolean usableAt(Instant at) {
      return !at.isBefore(notBefore) && at.isBefore(notAfter);
    }
  }

  private record CachedParticipant(Participant info, Map<String, Key> keys, Instant fetchedAt) {}

  private record CachedProduct(Product product, Instant fetchedAt) {}

  private final Channel channel;
  private final Clock clock;
  private final Duration ttl;
  private final Duration callDeadline;
  private final Map<String, CachedParticipant> participants = new ConcurrentHashMap<>();
  private final Map<String, CachedProduct> products = new ConcurrentHashMap<>();

  DirectoryCache(Channel channel, Clock clock, Duration ttl, Duration callDeadline) {
    this.channel = channel;
    this.clock = clock;
    this.ttl = ttl;
    this.callDeadline = callDeadline;
  }

  /** A participant's public information and live keys (primary first, as the gateway lists them). */
  public Participant participant(String code) {
    return cached(code).info();
  }

  /** A product with its lead insurer and co-insurance body. */
  public Product product(String productCode) {
    CachedProduct p = products.get(productCode);
    Instant now = clock.instant();
    if (p == null || expired(p.fetchedAt(), now)) {
      Product fetched = call(() -> ClientCalls.blockingUnaryCall(channel, DirectoryServiceGrpc.getResolveProductMethod(),
          options(), ResolveProductRequest.newBuilder().setProductCode(productCode).build()));
      p = new CachedProduct(fetched, now);
      products.put(productCode, p);
    }
    return p.product();
  }

  /**
   * The products of a city ({@code admdvs}; empty for every city), asked afresh each time (a listing is for
   * finding codes, not a per-message lookup); each is also cached as {@link #product} would.
   */
  public java.util.List<Product> products(String admdvs) {
    java.util.List<Product> listed = call(() -> ClientCalls.blockingUnaryCall(channel,
        DirectoryServiceGrpc.getListProductsMethod(), options(),
        io.hmb.api.v1.ListProductsRequest.newBuilder().setAdmdvs(admdvs).build())).getProductsList();
    Instant now = clock.instant();
    listed.forEach(p -> products.put(p.getProductCode(), new CachedProduct(p, now)));
    return listed;
  }

  /** The lead insurer (主承保) of a product: where product-addressed messages go. */
  public String leadInsurer(String productCode) {
    return product(productCode).getLeadInsurer();
  }

  /**
   * The key to seal new messages for: the primary key if usable now, else the first key usable now.
   * KEY_UNKNOWN (as a sealing failure) when the participant has none.
   */
  public PublicKeyHandle sealingKey(String code) {
    Instant now = clock.instant();
    Key best = null;
    for (Key k : cached(code).keys().values()) {
      if (k.usableAt(now) && (best == null || (k.primary() && !best.primary()))) {
        best = k;
      }
    }
    if (best == null) {
      throw GatewayException.fromEnvelope(EnvelopeException.of(EnvelopeException.Reason.KEY_UNKNOWN),
          GatewayException.Origin.SEALING);
    }
    return best.handle();
  }

  /** Forgets what is cached about a participant (or a product of that code). */
  public void invalidate(String code) {
    participants.remove(code);
    products.remove(code);
  }

  @Override
  public PublicKeyHandle resolve(String participant, String keyId, Instant at) throws EnvelopeException {
    CachedParticipant p;
    try {
      p = cached(participant);
    } catch (GatewayException e) {
      if (e.reason().filter(r -> r == ErrorReason.RECIPIENT_UNKNOWN).isPresent()) {
        throw EnvelopeException.of(EnvelopeException.Reason.SENDER_UNKNOWN);
      }
      throw e;
    }
    if (!p.keys().containsKey(keyId) && !clock.instant().isBefore(p.fetchedAt().plus(MIN_REFRESH_INTERVAL))) {
      participants.remove(participant, p);
      p = cached(participant); // a key added since we last asked
    }
    if (p.info().getSuspended()) {
      throw EnvelopeException.of(EnvelopeException.Reason.SENDER_SUSPENDED);
    }
    Key k = p.keys().get(keyId);
    if (k == null) {
      throw EnvelopeException.of(EnvelopeException.Reason.KEY_UNKNOWN);
    }
    if (!k.usableAt(at)) {
      throw EnvelopeException.of(EnvelopeException.Reason.KEY_REVOKED);
    }
    return k.handle();
  }

  private CachedParticipant cached(String code) {
    CachedParticipant p = participants.get(code);
    Instant now = clock.instant();
    if (p == null || expired(p.fetchedAt(), now)) {
      Participant info = call(() -> ClientCalls.blockingUnaryCall(channel, DirectoryServiceGrpc.getGetParticipantMethod(),
          options(), GetParticipantRequest.newBuilder().setCode(code).build()));
      p = new CachedParticipant(info, parseKeys(info), now);
      participants.put(code, p);
    }
    return p;
  }

  private static Map<String, Key> parseKeys(Participant info) {
    Map<String, Key> keys = new LinkedHashMap<>();
    for (PublicKeyInfo k : info.getKeysList()) {
      try {
        PublicKeyHandle handle = PublicKeyHandle.fromSpkiDer(k.getPublicKey().toByteArray());
        if (!handle.keyId().equals(k.getKeyId())) {
          continue; // a listing whose id does not match its key is ignored, never trusted
        }
        keys.put(k.getKeyId(), new Key(handle, instant(k.getNotBefore()), instant(k.getNotAfter()), k.getPrimary()));
      } catch (InvalidKeySpecException unusable) {
        // skip a key this SDK cannot parse (e.g. a suite it does not know yet)
      }
    }
    return java.util.Collections.unmodifiableMap(keys);
  }

  private static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private boolean expired(Instant fetchedAt, Instant now) {
    return !now.isBefore(fetchedAt.plus(ttl));
  }

  private CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(callDeadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static <T> T call(java.util.function.Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw GatewayException.fromCall(e);
    }
  }

  @Override
  public String toString() {
    return "DirectoryCache{ttl=" + ttl + ", participants=" + participants.size() + ", products=" + products.size() + "}";
  }
}
