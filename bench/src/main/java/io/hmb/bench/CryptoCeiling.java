package io.hmb.bench;

import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.security.EnvelopePolicy;
import io.hmb.security.EnvelopeVerifier;
import io.hmb.security.KeyDirectory;
import io.hmb.security.replay.ReplayGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Exactly the cryptographic work of one coverage check, end to end, with no network and no database:
 * the caller seals, the gateway verifies, the insurer opens and seals, the gateway verifies the answer,
 * the caller opens. Run as a closed loop, its throughput is the most the machine could do if the gateway
 * cost nothing beyond its signature checks.
 */
final class CryptoCeiling {
  private final Party caller = Party.offline("BUREAU-210200", Role.ROLE_BUREAU, Messages.CITY);
  private final Party insurer = Party.offline("INSURER-LEAD-210200", Role.ROLE_INSURER, Messages.CITY);
  private final EnvelopeVerifier gatewayVerifier;

  CryptoCeiling() {
    Instant now = Instant.now();
    KeyDirectory keys = new KeyDirectory()
        .register(caller.code, caller.key.publicKey(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)))
        .register(insurer.code, insurer.key.publicKey(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
    // The gateway's own verifier settings (Gateway.start): its replay check is the database's, not here.
    gatewayVerifier = EnvelopeVerifier.builder(keys)
        .clock(Clock.systemUTC())
        .policy(EnvelopePolicy.builder().maxClockSkew(GatewayConfig.DEFAULT_ALLOWED_CLOCK_SKEW)
            .maxEnvelopeBytes(GatewayConfig.DEFAULT_MAX_ENVELOPE_BYTES).build())
        .replayGuard(ReplayGuard.deferredToCaller())
        .build();
  }

  void oneCoverageCheck() throws Exception {
    SealedEnvelope request = Messages.sealQuery(caller, insurer);
    gatewayVerifier.verify(request);
    SealedEnvelope answer = Messages.answerCoverage(insurer, caller, request);
    gatewayVerifier.verify(answer);
    Messages.openDecision(caller, insurer, answer);
  }
}
