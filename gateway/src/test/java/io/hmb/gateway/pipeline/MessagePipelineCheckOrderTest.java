package io.hmb.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.ClaimResult;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.InsuredStatusQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.PremiumServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementData;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.intake.Delivery;
import io.hmb.gateway.pipeline.PipelineHarness.Party;
import io.hmb.gateway.pipeline.PipelineHarness.Reply;
import io.hmb.gateway.store.MessageStore;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The check order of ARCHITECTURE.md's "message path through the gateway", on {@link MessagePipeline}
 * alone ({@link PipelineHarness}: real SM2, no PostgreSQL, no network). Each test sends an envelope
 * that fails two checks at once, or counts the key lookups (the step before the signature check), so
 * that it fails if the pipeline swapped those checks: the later check would then answer, or the
 * cryptography would have run.
 */
@Timeout(10)
class MessagePipelineCheckOrderTest {
  static final MessageCatalog.Rpc CHECK_COVERAGE = MessageCatalog.rpc(EligibilityServiceGrpc.getCheckCoverageMethod());
  static final MessageCatalog.Rpc CHECK_INSURED_STATUS =
      MessageCatalog.rpc(EligibilityServiceGrpc.getCheckInsuredStatusMethod());
  static final MessageCatalog.Rpc REQUEST_DEDUCTION = MessageCatalog.rpc(PremiumServiceGrpc.getRequestDeductionMethod());
  static final MessageCatalog.Rpc PUBLISH_CLAIM_RESULT =
      MessageCatalog.rpc(io.hmb.api.v1.ClaimServiceGrpc.getPublishClaimResultMethod());
  static final MessageCatalog.Rpc SUBMIT_SETTLEMENT = MessageCatalog.rpc(SettlementServiceGrpc.getSubmitSettlementMethod());
  static final Duration TWO_SECONDS = Duration.ofSeconds(2);

  final PipelineHarness h = new PipelineHarness();

  @AfterEach
  void close() throws InterruptedException {
    h.close();
  }

  // ---- 1. deadline (pass-through), 2. intake: before any cryptography ----------------------------

  @Test
  void aPassThroughWithoutADeadlineIsRefusedBeforeAnythingElse() {
    // Also the wrong type for the RPC: the deadline is checked first, and no key is looked up.
    SealedEnvelope wrongType = deduction(h.lead, h.bureau, "ded-1");
    Reply<SealedEnvelope> reply = h.exchange(h.lead, CHECK_COVERAGE, wrongType, null);

    assertThat(reply.reason()).isEqualTo(ErrorReason.DEADLINE_MISSING);
    assertThat(h.keyLookups()).isZero();
    assertNothingRecordedOrForwarded();
  }

  @Test
  void aDeadlineLongerThanTheGatewaysMaximumIsRefused() {
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, coverage(h.hospital, h.lead),
        PipelineHarness.MAX_CALL_DEADLINE.plusSeconds(1));

    assertThat(reply.reason()).isEqualTo(ErrorReason.DEADLINE_MISSING);
    assertThat(h.keyLookups()).isZero();
    assertNothingRecordedOrForwarded();
  }

  @Test
  void anOversizedEnvelopeIsRefusedAtIntakeWithoutAKeyLookup() {
    // Over intake's limit, under the verifier's, and its signature is bad: only intake can refuse it so.
    SealedEnvelope big = PipelineHarness.tampered(h.seal(h.hospital, h.header(h.hospital,
        MessageType.MESSAGE_TYPE_COVERAGE_QUERY, h.lead), query("x".repeat(PipelineHarness.MAX_ENVELOPE_BYTES)), h.lead));
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, big, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.PAYLOAD_TOO_LARGE);
    assertThat(h.keyLookups()).isZero();
    assertNothingRecordedOrForwarded();
  }

  @Test
  void theWrongTypeForTheRpcIsRefusedAtIntakeWithoutAKeyLookup() {
    SealedEnvelope coverageWithBadSignature = PipelineHarness.tampered(coverage(h.hospital, h.lead));
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, REQUEST_DEDUCTION, coverageWithBadSignature, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.MESSAGE_TYPE_MISMATCH);
    assertThat(h.keyLookups()).isZero();
    assertNothingRecordedOrForwarded();
  }

  // ---- 3. TLS identity = header.sender, before cryptography ---------------------------------------

  @Test
  void aCallerClaimingAnotherSenderIsRefusedWithoutAKeyLookup() {
    // The hospital's TLS connection carries an envelope that names the bureau, with a bad signature.
    SealedEnvelope claim = PipelineHarness.tampered(h.seal(h.hospital,
        h.header(h.hospital, MessageType.MESSAGE_TYPE_COVERAGE_QUERY, h.lead).setSender(h.bureau.code()), query("a"), h.lead));
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, claim, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.SENDER_MISMATCH);
    assertThat(h.keyLookups()).isZero();
    assertNothingRecordedOrForwarded();
  }

  // ---- 3. the signature, before the registry's view of the recipient ------------------------------

  @Test
  void aBadSignatureToAnUnknownRecipientIsASignatureError() {
    SealedEnvelope toStranger = PipelineHarness.tampered(coverage(h.hospital, h.stranger));
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, toStranger, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.SIGNATURE_INVALID);
    assertThat(h.keyLookups()).isEqualTo(1);
    assertNothingRecordedOrForwarded();
  }

  @Test
  void aBadSignatureToASuspendedRecipientIsASignatureError() {
    SealedEnvelope toSuspended = PipelineHarness.tampered(coverage(h.hospital, h.suspendedBureau));
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, toSuspended, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.SIGNATURE_INVALID);
    assertNothingRecordedOrForwarded();
  }

  // ---- 3b. recipient known and active, product and city: before authorisation ---------------------

  @Test
  void anUnknownRecipientIsRefusedAndNoRejectionIsAudited() {
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, coverage(h.hospital, h.stranger), TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.RECIPIENT_UNKNOWN);
    assertNothingRecordedOrForwarded();
  }

  @Test
  void aSuspendedRecipientIsRefusedBeforeTheMatrixIsAsked() {
    // A hospital may not send a coverage query to a bureau: the matrix would say NOT_AUTHORISED (and audit it).
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, coverage(h.hospital, h.suspendedBureau),
        TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.RECIPIENT_SUSPENDED);
    assertNothingRecordedOrForwarded();
  }

  @Test
  void anUnknownProductIsRefusedBeforeTheMatrixIsAsked() {
    // From Wuwei's hospital about Dalian: the matrix would refuse it; the product check answers first.
    SealedEnvelope env = h.seal(h.wuweiHospital, h.header(h.wuweiHospital, MessageType.MESSAGE_TYPE_COVERAGE_QUERY, h.lead)
        .setProductCode("no-such-product"), query("a"), h.lead);
    Reply<SealedEnvelope> reply = h.exchange(h.wuweiHospital, CHECK_COVERAGE, env, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.PRODUCT_UNKNOWN);
    assertNothingRecordedOrForwarded();
  }

  @Test
  void aProductOfAnotherCityIsRefusedByTheMatrixAndAudited() {
    // Issue 15, finding 5: this refusal sat outside the matrix and wrote no REJECTED event.
    SealedEnvelope env = h.seal(h.hospital, h.header(h.hospital, MessageType.MESSAGE_TYPE_COVERAGE_QUERY, h.lead)
        .setProductCode(PipelineHarness.WUWEI_PRODUCT), query("a"), h.lead);
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, env, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.NOT_AUTHORISED);
    assertThat(metadata(reply)).containsEntry("rule", "coverage_query").containsEntry("check", "product_city");
    assertRefusedAndAudited(reply, h.hospital, h.lead);
  }

  @Test
  void aHeaderNamingADistrictIsInItsCitysProduct() {
    // 210281 瓦房店市 lies in Dalian 210200: neither the product check nor the matrix may call it another city.
    SealedEnvelope env = h.seal(h.hospital, h.header(h.hospital, MessageType.MESSAGE_TYPE_COVERAGE_QUERY, h.lead)
        .setAdmdvs("210281").setProductCode(PipelineHarness.DALIAN_PRODUCT), query("district"), h.lead);
    assertThat(h.exchange(h.hospital, CHECK_COVERAGE, env, TWO_SECONDS).value()).isNotNull();
    assertThat(h.recipient.forwarded()).hasSize(1);
  }

  // ---- 4. authorisation: audited, nothing stored, nothing forwarded -------------------------------

  @Test
  void aRefusalByTheMatrixIsAuditedButNothingIsAdmittedOrForwarded() {
    SealedEnvelope env = coverage(h.wuweiHospital, h.lead);
    Reply<SealedEnvelope> reply = h.exchange(h.wuweiHospital, CHECK_COVERAGE, env, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.NOT_AUTHORISED);
    assertThat(h.records.admitCalls()).isZero();
    assertThat(h.records.rejections()).singleElement().satisfies(r -> {
      assertThat(r.ref().sender()).isEqualTo(h.wuweiHospital.code());
      assertThat(r.ref().recipient()).isEqualTo(h.lead.code());
      assertThat(r.why()).isEqualTo(reply.error().getMessage().replaceFirst("^[A-Z_]+: ", ""));
    });
    assertThat(h.recipient.forwarded()).isEmpty();
  }

  // ---- 5. authorisation before the idempotency key's rules ----------------------------------------

  @Test
  void anUnauthorisedDeductionWithoutAKeyIsNotAuthorisedNotKeyMissing() {
    // A hospital may not request deductions; its envelope also lacks the key deductions need.
    SealedEnvelope env = h.seal(h.hospital, h.header(h.hospital, MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, h.bureau),
        deductionPayload(8900), h.bureau);
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, REQUEST_DEDUCTION, env, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.NOT_AUTHORISED);
    assertThat(h.records.rejections()).hasSize(1);
    assertThat(h.records.admitCalls()).isZero();
  }

  @Test
  void anAuthorisedDeductionWithoutAKeyIsRefusedBeforeTheStore() {
    SealedEnvelope env = h.seal(h.lead, h.header(h.lead, MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, h.bureau)
        .setProductCode(PipelineHarness.DALIAN_PRODUCT), deductionPayload(8900), h.bureau);
    Reply<SealedEnvelope> reply = h.exchange(h.lead, REQUEST_DEDUCTION, env, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.IDEMPOTENCY_KEY_MISSING);
    assertNothingRecordedOrForwarded();
  }

  // ---- 4b. products and cities: the matrix, audited (issue 15, finding 1) -----------------------------

  @Test
  void aCoInsurerOfAnotherCityCannotDebitThisCitysResidents() {
    // INSURER-CO-620600 asked BUREAU-210200 to deduct for a Dalian product; today's matrix let it through.
    SealedEnvelope env = deduction(h.wuweiCoInsurer, h.bureau, "ded-cross-city");
    Reply<SealedEnvelope> reply = h.exchange(h.wuweiCoInsurer, REQUEST_DEDUCTION, env, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.NOT_AUTHORISED);
    assertThat(reply.error()).hasMessageContaining("PERMISSION_DENIED");
    assertThat(metadata(reply)).containsEntry("rule", "deduction_request").containsEntry("check", "sender_city");
    assertRefusedAndAudited(reply, h.wuweiCoInsurer, h.bureau);
  }

  @Test
  void aDeductionForItsOwnCitysProductToAnotherCitysBureauIsRefused() {
    // The product's city must be the bureau's city: a Wuwei product, header Wuwei, to the Dalian bureau.
    SealedEnvelope env = h.seal(h.wuweiCoInsurer, h.header(h.wuweiCoInsurer, MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST,
        h.bureau).setAdmdvs(PipelineHarness.WUWEI).setIdempotencyKey("ded-own-product")
        .setProductCode(PipelineHarness.WUWEI_PRODUCT), deductionPayload(6900), h.bureau);
    Reply<SealedEnvelope> reply = h.exchange(h.wuweiCoInsurer, REQUEST_DEDUCTION, env, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.NOT_AUTHORISED);
    assertThat(metadata(reply)).containsEntry("rule", "deduction_request").containsEntry("check", "recipient_city");
    assertRefusedAndAudited(reply, h.wuweiCoInsurer, h.bureau);
  }

  @Test
  void aDeductionNamingNoProductIsRefusedBeforeTheKeyIsAskedFor() {
    // Neither a product nor a key: the matrix answers first (authorisation before the key's rules).
    SealedEnvelope env = h.seal(h.lead, h.header(h.lead, MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, h.bureau),
        deductionPayload(8900), h.bureau);
    Reply<SealedEnvelope> reply = h.exchange(h.lead, REQUEST_DEDUCTION, env, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.NOT_AUTHORISED);
    assertThat(metadata(reply)).containsEntry("rule", "deduction_request").containsEntry("check", "product_named")
        .containsEntry("field", "product_code");
    assertRefusedAndAudited(reply, h.lead, h.bureau);
  }

  @Test
  void anInsurerOfAnotherCityMayNotAskTheBureauWhoIsInsured() {
    SealedEnvelope env = h.seal(h.wuweiCoInsurer, h.header(h.wuweiCoInsurer, MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY,
        h.bureau), InsuredStatusQuery.newBuilder().setPerson(Person.newBuilder().setCertNumber("210202198001011234"))
        .build(), h.bureau);
    Reply<SealedEnvelope> reply = h.exchange(h.wuweiCoInsurer, CHECK_INSURED_STATUS, env, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.NOT_AUTHORISED);
    assertThat(metadata(reply)).containsEntry("rule", "insured_status_query").containsEntry("check", "sender_city");
    assertRefusedAndAudited(reply, h.wuweiCoInsurer, h.bureau);
  }

  @Test
  void theCitysOwnInsurerStillDeductsAndAsks() {
    assertThat(h.exchange(h.lead, REQUEST_DEDUCTION, deduction(h.lead, h.bureau, "ded-own"), TWO_SECONDS).value()).isNotNull();
    SealedEnvelope status = h.seal(h.lead, h.header(h.lead, MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY, h.bureau),
        InsuredStatusQuery.newBuilder().setPerson(Person.newBuilder().setCertNumber("210202198001011234")).build(), h.bureau);
    assertThat(h.exchange(h.lead, CHECK_INSURED_STATUS, status, TWO_SECONDS).error()).isNull();
    assertThat(h.records.rejections()).isEmpty();
    assertThat(h.recipient.forwarded()).hasSize(2);
  }

  // ---- lifetime by type: after the signature, before the registry (issue 15, finding 3) ---------------

  @Test
  void aPassThroughLivingLongerThan24HoursIsRefusedAfterTheSignatureAndBeforeTheRegistry() {
    // Six days (the verifier allows seven) and addressed to nobody: the lifetime answers, not RECIPIENT_UNKNOWN.
    SealedEnvelope env = h.seal(h.hospital, h.header(h.hospital, MessageType.MESSAGE_TYPE_COVERAGE_QUERY, h.stranger)
        .setExpireTime(com.google.protobuf.Timestamp.newBuilder()
            .setSeconds(PipelineHarness.START.plus(Duration.ofDays(6)).getEpochSecond())), query("a"), h.stranger);
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, env, TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.INVALID_HEADER_FIELD);
    assertThat(metadata(reply)).containsEntry("field", "expire_time").containsEntry("max_lifetime_seconds", "86400");
    assertThat(h.keyLookups()).isEqualTo(1);
    assertNothingRecordedOrForwarded();
  }

  @Test
  void aPassThroughOfExactly24HoursAndAStoredMessageOf6DaysAreAccepted() {
    SealedEnvelope day = h.seal(h.hospital, h.header(h.hospital, MessageType.MESSAGE_TYPE_COVERAGE_QUERY, h.lead)
        .setExpireTime(com.google.protobuf.Timestamp.newBuilder()
            .setSeconds(PipelineHarness.START.plus(Duration.ofHours(24)).getEpochSecond())), query("a"), h.lead);
    assertThat(h.exchange(h.hospital, CHECK_COVERAGE, day, TWO_SECONDS).error()).isNull();
    SealedEnvelope stored = h.seal(h.bureau, h.header(h.bureau, MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, h.lead)
        .setIdempotencyKey("stl-6d").setExpireTime(com.google.protobuf.Timestamp.newBuilder()
            .setSeconds(PipelineHarness.START.plus(Duration.ofDays(6)).getEpochSecond())),
        SettlementData.newBuilder().setSettlementId("stl-6d").build(), h.lead);
    assertThat(h.submit(h.bureau, SUBMIT_SETTLEMENT, stored).value().getReplayed()).isFalse();
  }

  // ---- 5b. the same key to another recipient: reused, not replayed (issue 15, finding 4) --------------

  @Test
  void theSameKeyToAnotherRecipientIsKeyReuseNotARetry() {
    // The harness's records follow MessageStore's rule; CoreEndToEndTest runs the real one.
    ClaimResult result = ClaimResult.newBuilder().setClaimNumber("C-1").setVersion(1).build();
    Acceptance first = h.submit(h.lead, PUBLISH_CLAIM_RESULT, h.seal(h.lead, h.header(h.lead,
        MessageType.MESSAGE_TYPE_CLAIM_RESULT, h.bureau).setIdempotencyKey("clm-twice"), result, h.bureau)).value();
    Reply<Acceptance> toTheHospital = h.submit(h.lead, PUBLISH_CLAIM_RESULT, h.seal(h.lead, h.header(h.lead,
        MessageType.MESSAGE_TYPE_CLAIM_RESULT, h.hospital).setIdempotencyKey("clm-twice"), result, h.hospital));

    assertThat(first.getReplayed()).isFalse();
    assertThat(toTheHospital.reason()).isEqualTo(ErrorReason.IDEMPOTENCY_KEY_REUSED);
    assertThat(h.records.rows()).singleElement()
        .satisfies(row -> assertThat(row.incoming.ref().recipient()).isEqualTo(h.bureau.code()));
  }

  // ---- 3a. rate limit: after identity, before cryptography (issue 15, Security II, finding 2) --------

  @Test
  void aThrottledCallersBadSignaturesCostItsOwnTokensNotAVerifyEach() {
    // The slow hospital's bucket holds one message: its first bad signature is verified and refused...
    Reply<SealedEnvelope> first = h.exchange(h.slowHospital, CHECK_COVERAGE,
        PipelineHarness.tampered(coverage(h.slowHospital, h.lead)), TWO_SECONDS);
    assertThat(first.reason()).isEqualTo(ErrorReason.SIGNATURE_INVALID);
    int lookups = h.keyLookups();
    // ...and the next hundred are over its limit before any key is looked up or any signature checked.
    for (int i = 0; i < 100; i++) {
      Reply<SealedEnvelope> forged = h.exchange(h.slowHospital, CHECK_COVERAGE,
          PipelineHarness.tampered(coverage(h.slowHospital, h.lead)), TWO_SECONDS);
      assertThat(forged.reason()).isEqualTo(ErrorReason.RATE_LIMITED);
    }
    assertThat(h.keyLookups()).isEqualTo(lookups);
    assertNothingRecordedOrForwarded();
  }

  @Test
  void anotherCallerCannotSpendASendersTokens() {
    // Ten envelopes in the slow hospital's name over another participant's TLS connection: refused as
    // SENDER_MISMATCH before the limit, so they leave the slow hospital's one token for itself.
    for (int i = 0; i < 10; i++) {
      Reply<SealedEnvelope> forged = h.exchange(h.hospital, CHECK_COVERAGE,
          PipelineHarness.tampered(coverage(h.slowHospital, h.lead)), TWO_SECONDS);
      assertThat(forged.reason()).isEqualTo(ErrorReason.SENDER_MISMATCH);
    }
    assertThat(h.exchange(h.slowHospital, CHECK_COVERAGE, coverage(h.slowHospital, h.lead), TWO_SECONDS).error()).isNull();
    Reply<SealedEnvelope> over = h.exchange(h.slowHospital, CHECK_COVERAGE, coverage(h.slowHospital, h.lead), TWO_SECONDS);
    assertThat(over.reason()).isEqualTo(ErrorReason.RATE_LIMITED);
    assertThat(h.records.rows()).hasSize(1);
    assertThat(h.recipient.forwarded()).hasSize(1);
  }

  // ---- 7. pass-through delivery --------------------------------------------------------------------

  @Test
  void aPassThroughIsForwardedWithTheCallersDeadlineLessTheMarginAndItsAnswerRecorded() {
    SealedEnvelope request = coverage(h.hospital, h.lead);
    SealedEnvelope answer = h.exchange(h.hospital, CHECK_COVERAGE, request, TWO_SECONDS).value();

    // Forwarded once, unchanged, to the lead's endpoint, with 2 s less 10% (ForwardMargin.DEFAULTS).
    assertThat(h.recipient.forwarded()).singleElement().satisfies(f -> {
      assertThat(f.endpoint()).isEqualTo("lead.test:443");
      assertThat(f.envelope()).isEqualTo(request);
      assertThat(f.deadlineMillis()).isBetween(1700L, 1800L);
    });
    // Admitted as a pass-through (its envelope not kept), then the very answer recorded against its row.
    assertThat(h.records.rows()).singleElement().satisfies(row -> {
      assertThat(row.incoming.delivery()).isEqualTo(Delivery.PASS_THROUGH);
      assertThat(row.incoming.envelope()).isNull();
      assertThat(row.incoming.ref().sender()).isEqualTo(h.hospital.code());
      assertThat(row.receivedAt).isEqualTo(PipelineHarness.START);
    });
    assertThat(h.records.answers()).singleElement().satisfies(a -> {
      assertThat(a.rowId()).isEqualTo(1);
      assertThat(a.response()).isEqualTo(answer.toByteArray());
      assertThat(a.durability()).isEqualTo(MessageStore.Durability.SYNCHRONOUS);
    });
    assertThat(h.records.failures()).isEmpty();
  }

  @Test
  void theMarginIsTakenFromTheTimeLeftWhenTheCallIsForwarded() {
    // 5 s: the forwarded call gets 4.5 s (10%); the floor and ceiling are ForwardMarginTest's business.
    h.exchange(h.hospital, CHECK_COVERAGE, coverage(h.hospital, h.lead), Duration.ofSeconds(5)).value();
    assertThat(h.recipient.forwarded()).singleElement()
        .satisfies(f -> assertThat(f.deadlineMillis()).isBetween(4400L, 4500L));
  }

  @Test
  void anIdenticalResendGetsTheStoredAnswerWithoutAskingTheRecipientAgain() {
    SealedEnvelope request = deduction(h.lead, h.bureau, "ded-resend");
    SealedEnvelope first = h.exchange(h.lead, REQUEST_DEDUCTION, request, TWO_SECONDS).value();
    SealedEnvelope again = h.exchange(h.lead, REQUEST_DEDUCTION, request, TWO_SECONDS).value();

    assertThat(again).isEqualTo(first);
    assertThat(h.recipient.forwarded()).hasSize(1);
    assertThat(h.records.answers()).hasSize(1);
  }

  @Test
  void aStoredAnswerAboutToExpireIsAskedForAgain() {
    SealedEnvelope request = deduction(h.lead, h.bureau, "ded-expiring");
    SealedEnvelope first = h.exchange(h.lead, REQUEST_DEDUCTION, request, TWO_SECONDS).value();
    h.clock.advance(Duration.ofSeconds(545)); // the answer expires 600 s after it was made: 55 s left
    SealedEnvelope again = h.exchange(h.lead, REQUEST_DEDUCTION, request, TWO_SECONDS).value();

    assertThat(again).isNotEqualTo(first);
    assertThat(h.recipient.forwarded()).hasSize(2);
    assertThat(h.records.rows()).hasSize(1);
    assertThat(h.records.answers()).extracting(InMemoryRecords.Answer::rowId).containsExactly(1L, 1L);
  }

  @Test
  void anAnswerToAnotherRequestIsRefusedAndRecordedAsAFailure() {
    h.recipient.behave((request, reply) -> {
      reply.onNext(h.answerTo(request.header(), MessageType.MESSAGE_TYPE_COVERAGE_DECISION,
          UUID.randomUUID().toString()));
      reply.onCompleted();
    });
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, coverage(h.hospital, h.lead), TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.RECIPIENT_UNAVAILABLE);
    assertThat(reply.error()).hasMessageContaining("answered with an envelope that is not a MESSAGE_TYPE_COVERAGE_DECISION");
    assertThat(h.records.answers()).isEmpty();
    assertThat(h.records.failures()).singleElement()
        .satisfies(f -> assertThat(f.why()).isEqualTo(ErrorReason.RECIPIENT_UNAVAILABLE.name()));
  }

  @Test
  void anAnswerOfTheWrongTypeIsRefusedAndRecordedAsAFailure() {
    h.recipient.behave((request, reply) -> {
      reply.onNext(h.answerTo(request.header(), MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT,
          request.header().getMessageId()));
      reply.onCompleted();
    });
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, coverage(h.hospital, h.lead), TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.RECIPIENT_UNAVAILABLE);
    assertThat(reply.error()).hasMessageContaining("answered with an envelope that is not a MESSAGE_TYPE_COVERAGE_DECISION");
    assertThat(h.records.answers()).isEmpty();
    assertThat(h.records.failures()).hasSize(1);
  }

  @Test
  void anAnswerWhoseSignatureFailsIsRefusedAndRecordedAsAFailure() {
    h.recipient.behave((request, reply) -> {
      reply.onNext(PipelineHarness.tampered(h.answerTo(request.header(), MessageType.MESSAGE_TYPE_COVERAGE_DECISION,
          request.header().getMessageId())));
      reply.onCompleted();
    });
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, coverage(h.hospital, h.lead), TWO_SECONDS);

    assertThat(reply.reason()).isEqualTo(ErrorReason.SIGNATURE_INVALID);
    assertThat(h.records.answers()).isEmpty();
    assertThat(h.records.failures()).singleElement()
        .satisfies(f -> assertThat(f.why()).isEqualTo(ErrorReason.SIGNATURE_INVALID.name()));
  }

  @Test
  void aRecipientThatDoesNotAnswerInTimeIsARecipientTimeout() {
    h.recipient.behave(FakeRecipient.hang());
    // 200 ms: the forwarded call ends after 150 ms (the 50 ms floor), leaving the gateway time to answer.
    Reply<SealedEnvelope> reply = h.exchange(h.hospital, CHECK_COVERAGE, coverage(h.hospital, h.lead),
        Duration.ofMillis(200));

    assertThat(reply.reason()).isEqualTo(ErrorReason.RECIPIENT_TIMEOUT);
    assertThat(h.records.failures()).singleElement()
        .satisfies(f -> assertThat(f.why()).isEqualTo(ErrorReason.RECIPIENT_TIMEOUT.name()));
  }

  // ---- store-and-forward ---------------------------------------------------------------------------

  @Test
  void aSubmissionIsStoredWithItsEnvelopeAndNotForwarded() {
    SealedEnvelope env = settlement(h.bureau, h.lead, "stl-1");
    Acceptance accepted = h.submit(h.bureau, SUBMIT_SETTLEMENT, env).value();
    Acceptance resent = h.submit(h.bureau, SUBMIT_SETTLEMENT, env).value();

    assertThat(accepted.getReplayed()).isFalse();
    assertThat(resent).isEqualTo(accepted.toBuilder().setReplayed(true).build());
    assertThat(h.records.rows()).singleElement().satisfies(row -> {
      assertThat(row.incoming.delivery()).isEqualTo(Delivery.STORE_AND_FORWARD);
      assertThat(row.incoming.envelope()).isEqualTo(env.toByteArray());
    });
    assertThat(h.recipient.forwarded()).isEmpty();
  }

  @Test
  void aSubmissionRunsTheSameChecksInTheSameOrder() {
    // Claims the bureau from the lead's connection, with a bad signature: identity first, no key lookup.
    SealedEnvelope claim = PipelineHarness.tampered(settlement(h.bureau, h.lead, "stl-2"));
    Reply<Acceptance> reply = h.submit(h.lead, SUBMIT_SETTLEMENT, claim);

    assertThat(reply.reason()).isEqualTo(ErrorReason.SENDER_MISMATCH);
    assertThat(h.keyLookups()).isZero();
    assertNothingRecordedOrForwarded();
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private static java.util.Map<String, String> metadata(Reply<?> reply) {
    return io.hmb.api.Errors.errorInfo(reply.error()).orElseThrow().getMetadataMap();
  }

  /** Refused after verification: one REJECTED audit row with the refusal's words, nothing admitted or forwarded. */
  private void assertRefusedAndAudited(Reply<?> reply, Party from, Party to) {
    assertThat(h.records.admitCalls()).isZero();
    assertThat(h.records.rejections()).singleElement().satisfies(r -> {
      assertThat(r.ref().sender()).isEqualTo(from.code());
      assertThat(r.ref().recipient()).isEqualTo(to.code());
      assertThat(r.why()).isEqualTo(reply.error().getMessage().replaceFirst("^[A-Z_]+: ", ""));
      assertThat(r.why()).doesNotContain("210202198001011234").doesNotContain("8900").doesNotContain("6900");
    });
    assertThat(h.recipient.forwarded()).isEmpty();
  }

  private void assertNothingRecordedOrForwarded() {
    assertThat(h.records.untouched()).as("the store was asked nothing").isTrue();
    assertThat(h.recipient.forwarded()).as("nothing reached a recipient").isEmpty();
  }

  private SealedEnvelope coverage(Party from, Party to) {
    return h.seal(from, h.header(from, MessageType.MESSAGE_TYPE_COVERAGE_QUERY, to), query("张三"), to);
  }

  private SealedEnvelope deduction(Party from, Party to, String key) {
    return h.seal(from, h.header(from, MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, to).setIdempotencyKey(key)
        .setProductCode(PipelineHarness.DALIAN_PRODUCT), deductionPayload(8900), to);
  }

  private SealedEnvelope settlement(Party from, Party to, String key) {
    return h.seal(from, h.header(from, MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, to).setIdempotencyKey(key),
        SettlementData.newBuilder().setSettlementId(key).setMedicalFeeTotalFen(1_000_000).build(), to);
  }

  private static CoverageQuery query(String name) {
    return CoverageQuery.newBuilder().setPerson(Person.newBuilder().setCertType("01")
        .setCertNumber("210202198001011234").setName(name)).setMoment(CoverageQuery.Moment.MOMENT_ADMISSION).build();
  }

  private static DeductionRequest deductionPayload(long fen) {
    return DeductionRequest.newBuilder().setProductCode(PipelineHarness.DALIAN_PRODUCT).setPolicyNumber("APP-1")
        .setAmountFen(fen).setPayer(Person.newBuilder().setCertNumber("210202198001011234")).build();
  }
}
