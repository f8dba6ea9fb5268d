package io.hmb.bench;

import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.security.EnvelopePolicy;
import io.hmb.security.EnvelopeVerifier;
import io.hmb.security.KeyDirectory;
import io.hmb.security.Opener;
import io.hmb.security.replay.ReplayGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exactly the cryptographic work of one message, end to end, with no network and no database. Run as a
 * closed loop, its throughput is the most the machine could do if the gateway cost nothing beyond its
 * signature checks.
 *
 * <ul>
 *   <li>A coverage check: the bureau seals, the gateway verifies, the insurer opens and seals, the gateway
 *       verifies the answer, the bureau opens.
 *   <li>A settlement: the bureau seals (idempotency key and product in the header), the gateway verifies,
 *       the co-insurer opens (as the bench's inbox subscriber does with each delivery).
 * </ul>
 */
final class CryptoCeiling {
  private static final AtomicLong SETTLEMENT_SEQ = new AtomicLong();
  private final Party bureau = Party.offline("BUREAU-210200", Role.ROLE_BUREAU, Messages.CITY);
  private final Party insurer = Party.offline("INSURER-LEAD-210200", Role.ROLE_INSURER, Messages.CITY);
  private final Party coInsurer = Party.offline("INSURER-CO-210200", Role.ROLE_INSURER, Messages.CITY);
  private final Opener coInsurerOpener = Messages.settlementOpener(coInsurer);
  private final EnvelopeVerifier gatewayVerifier;

  CryptoCeiling() {
    Instant now = Instant.now();
    KeyDirectory keys = new KeyDirectory()
        .register(bureau.code, bureau.key.publicKey(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)))
        .register(insurer.code, insurer.key.publicKey(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)))
        .register(coInsurer.code, coInsurer.key.publicKey(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
    // The gateway's own verifier settings (Gateway.start): its replay check is the database's, not here.
    gatewayVerifier = EnvelopeVerifier.builder(keys)
        .clock(Clock.systemUTC())
        .policy(EnvelopePolicy.builder().maxClockSkew(GatewayConfig.DEFAULT_ALLOWED_CLOCK_SKEW)
            .maxEnvelopeBytes(GatewayConfig.DEFAULT_MAX_ENVELOPE_BYTES).build())
        .replayGuard(ReplayGuard.deferredToCaller())
        .build();
  }

  void oneCoverageCheck() throws Exception {
    SealedEnvelope request = Messages.sealQuery(bureau, insurer);
    gatewayVerifier.verify(request);
    SealedEnvelope answer = Messages.answerCoverage(insurer, bureau, request);
    gatewayVerifier.verify(answer);
    Messages.openDecision(bureau, insurer, answer);
  }

  void oneSettlement() throws Exception {
    String id = "C-" + SETTLEMENT_SEQ.incrementAndGet();
    SealedEnvelope record = bureau.seal(Messages.settlementHeader(bureau, coInsurer, id), Messages.settlement(id),
        coInsurer);
    gatewayVerifier.verify(record);
    Messages.openSettlement(coInsurerOpener, coInsurer, bureau, record);
  }
}
