package io.hmb.bench;

import io.hmb.api.v1.CoverageDecision;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.security.EnvelopeException;
import io.hmb.security.Opener;
import io.hmb.security.replay.ReplayGuard;

/**
 * The payloads of the bench and the insurer's answer. The coverage answer and the settlement's seal and
 * open are shared by the gateway scenarios and the crypto ceilings, so both do exactly the same
 * cryptographic work.
 */
final class Messages {
  static final String CITY = "210200";
  static final String PRODUCT = "dalian-2025-upgrade";
  /** The medical fee of every bench settlement (10,000 yuan), so the recipient can tell the record opened right. */
  static final long SETTLEMENT_FEE_FEN = 1_000_000;

  private Messages() {}

  static CoverageQuery coverageQuery() {
    return CoverageQuery.newBuilder()
        .setPerson(Person.newBuilder().setCertType("01").setCertNumber("210202198001011234").setName("张三"))
        .setMoment(CoverageQuery.Moment.MOMENT_ADMISSION)
        .build();
  }

  static SettlementData settlement(String id) {
    return SettlementData.newBuilder().setSettlementId(id).setVisitId("V-" + id)
        .setMedicalFeeTotalFen(SETTLEMENT_FEE_FEN).build();
  }

  /** The caller's side of a coverage check before the network: seal the query for the insurer. */
  static SealedEnvelope sealQuery(Party caller, Party insurer) throws EnvelopeException {
    return caller.seal(caller.header(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, insurer).setProductCode(PRODUCT),
        coverageQuery(), insurer);
  }

  /** The insurer: open the query (verify, unwrap, decrypt), answer "covered", sealed back to the asker. */
  static SealedEnvelope answerCoverage(Party insurer, Party asker, SealedEnvelope request) throws EnvelopeException {
    var opened = insurer.open(request, asker, CoverageQuery.parser());
    String cert = opened.payload().getPerson().getCertNumber();
    CoverageDecision decision = CoverageDecision.newBuilder().setCovered(true).setProductCode(PRODUCT)
        .setPolicyNumber("P-" + cert.substring(cert.length() - 4)).build();
    return insurer.seal(insurer.header(MessageType.MESSAGE_TYPE_COVERAGE_DECISION, asker)
        .setCorrelationId(opened.header().messageId()), decision, asker);
  }

  /** The caller's side after the network: open the decision and check it is the expected answer. */
  static void openDecision(Party caller, Party insurer, SealedEnvelope answer) throws EnvelopeException {
    var decision = caller.open(answer, insurer, CoverageDecision.parser());
    if (!decision.payload().getCovered()) {
      throw new IllegalStateException("the insurer answered not covered");
    }
  }

  /** The bureau's header for one settlement record, with its idempotency key and product, as it submits it. */
  static EnvelopeHeader.Builder settlementHeader(Party bureau, Party recipient, String settlementId) {
    return bureau.header(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, recipient)
        .setIdempotencyKey("bench-" + settlementId).setProductCode(PRODUCT);
  }

  /**
   * How the co-insurer opens its deliveries. Its replay check is the inbox's own: every message id once
   * (InboxSubscriber counts a second delivery as doubled), so the opener keeps no replay memory that would
   * grow over a soak.
   */
  static Opener settlementOpener(Party recipient) {
    return Opener.builder(recipient.code).replayGuard(ReplayGuard.deferredToCaller()).build();
  }

  /** The recipient's side of a settlement: verify, unwrap, decrypt, and check it is the record sent. */
  static SettlementData openSettlement(Opener opener, Party recipient, Party sender, SealedEnvelope envelope)
      throws EnvelopeException {
    SettlementData data = opener.open(envelope, recipient.key, sender.key.publicKey(), SettlementData.parser())
        .payload();
    if (data.getMedicalFeeTotalFen() != SETTLEMENT_FEE_FEN) {
      throw new IllegalStateException("the settlement opened to another record");
    }
    return data;
  }
}
