package io.hmb.security;

import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.replay.ReplayGuard;
import java.time.Clock;
import java.util.Objects;

/**
 * Gateway-side check of an envelope without decrypting it. Thread-safe; build one and share it.
 *
 * <p>Steps, in this order (docs/envelope.md "Check order"): size limit; envelope structure; header
 * parse; schema_version, cipher_suite and every header field; lifetime, expiry and clock skew
 * against the injected clock; the sender's key through the {@link PublicKeyResolver} (at the
 * header's create_time); the signature over the exact header bytes received; then the replay guard.
 * The first failing step decides the {@link EnvelopeException.Reason}.
 *
 * <p><b>Guarantees.</b> A returned {@link VerifiedHeader} was signed, byte for byte together with the
 * wrapped key and ciphertext, by a key the resolver vouched for as header.sender's at create_time;
 * it is fresh per the policy; and, with a real replay guard, its message id and nonce were not seen
 * before from that sender.
 *
 * <p><b>Does not guarantee.</b> That the ciphertext decrypts (only the recipient can tell), that
 * header.sender matches the TLS peer (SENDER_MISMATCH is the gateway's check), that the message type
 * suits the RPC or the authorisation matrix allows it, or that an idempotency key is present where a
 * type requires one. Those are gateway rules.
 */
public final class EnvelopeVerifier {
  private final PublicKeyResolver resolver;
  private final Clock clock;
  private final EnvelopePolicy policy;
  private final ReplayGuard replayGuard;

  private EnvelopeVerifier(Builder b) {
    this.resolver = b.resolver;
    this.clock = b.clock;
    this.policy = b.policy;
    this.replayGuard = b.replayGuard;
  }

  public static Builder builder(PublicKeyResolver resolver) {
    return new Builder(resolver);
  }

  /** Verifies the envelope and returns its header; throws with the first failing step's reason. */
  public VerifiedHeader verify(SealedEnvelope envelope) throws EnvelopeException {
    Checks.Parsed p = Checks.parse(envelope, policy);
    Checks.times(p, clock.instant(), policy);
    PublicKeyHandle key = resolver.resolve(p.header().getSender(), p.header().getSenderKeyId(),
        HeaderRules.instant(p.header().getCreateTime()));
    Checks.signature(p, key);
    Checks.replay(p, replayGuard);
    return new VerifiedHeader(p.header(), p.headerBytes());
  }

  @Override
  public String toString() {
    return "EnvelopeVerifier{" + policy + "}";
  }

  /** Builder. {@link #replayGuard(ReplayGuard)} must be called: choosing no replay check is explicit. */
  public static final class Builder {
    private final PublicKeyResolver resolver;
    private Clock clock = Clock.systemUTC();
    private EnvelopePolicy policy = EnvelopePolicy.defaults();
    private ReplayGuard replayGuard;

    private Builder(PublicKeyResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder policy(EnvelopePolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    public Builder replayGuard(ReplayGuard replayGuard) {
      this.replayGuard = Objects.requireNonNull(replayGuard, "replayGuard");
      return this;
    }

    public EnvelopeVerifier build() {
      if (replayGuard == null) {
        throw new IllegalStateException("replayGuard is required: pass an InMemoryReplayGuard, the "
            + "gateway's own, or ReplayGuard.deferredToCaller() if you check replay yourself");
      }
      return new EnvelopeVerifier(this);
    }
  }
}
