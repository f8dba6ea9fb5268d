package io.hmb.gateway.service;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.ClaimServiceGrpc;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.PremiumServiceGrpc;
import io.hmb.api.v1.ReconciliationServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.api.v1.SettlementServiceGrpc;
import io.hmb.gateway.intake.Rpc;
import java.util.List;

/**
 * The envelope-carrying hmb.v1 services. Each RPC only names itself and hands the envelope to the
 * {@link EnvelopeHandler}, so the whole message path lives in one place.
 */
public final class EnvelopeServices {
  private EnvelopeServices() {}

  public static List<BindableService> all(EnvelopeHandler handler) {
    return List.of(
        new EligibilityServiceGrpc.EligibilityServiceImplBase() {
          @Override
          public void checkCoverage(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
            handler.exchange(Rpc.CHECK_COVERAGE, request, reply);
          }

          @Override
          public void checkInsuredStatus(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
            handler.exchange(Rpc.CHECK_INSURED_STATUS, request, reply);
          }
        },
        new PremiumServiceGrpc.PremiumServiceImplBase() {
          @Override
          public void requestDeduction(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
            handler.exchange(Rpc.REQUEST_DEDUCTION, request, reply);
          }

          @Override
          public void reverseDeduction(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
            handler.exchange(Rpc.REVERSE_DEDUCTION, request, reply);
          }

          @Override
          public void registerPolicy(SealedEnvelope request, StreamObserver<Acceptance> reply) {
            handler.submit(Rpc.REGISTER_POLICY, request, reply);
          }
        },
        new SettlementServiceGrpc.SettlementServiceImplBase() {
          @Override
          public void submitSettlement(SealedEnvelope request, StreamObserver<Acceptance> reply) {
            handler.submit(Rpc.SUBMIT_SETTLEMENT, request, reply);
          }

          @Override
          public StreamObserver<SealedEnvelope> uploadSettlements(StreamObserver<Acceptance> reply) {
            return new OrderedUpload(Rpc.UPLOAD_SETTLEMENTS, handler, reply);
          }

          @Override
          public void cancelSettlement(SealedEnvelope request, StreamObserver<Acceptance> reply) {
            handler.submit(Rpc.CANCEL_SETTLEMENT, request, reply);
          }

          @Override
          public void quoteBenefit(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
            handler.exchange(Rpc.QUOTE_BENEFIT, request, reply);
          }
        },
        new ClaimServiceGrpc.ClaimServiceImplBase() {
          @Override
          public void publishClaimResult(SealedEnvelope request, StreamObserver<Acceptance> reply) {
            handler.submit(Rpc.PUBLISH_CLAIM_RESULT, request, reply);
          }
        },
        new ReconciliationServiceGrpc.ReconciliationServiceImplBase() {
          @Override
          public void submitReport(SealedEnvelope request, StreamObserver<Acceptance> reply) {
            handler.submit(Rpc.SUBMIT_RECONCILIATION, request, reply);
          }

          @Override
          public StreamObserver<SealedEnvelope> uploadReportParts(StreamObserver<Acceptance> reply) {
            return new OrderedUpload(Rpc.UPLOAD_RECONCILIATION_PARTS, handler, reply);
          }
        });
  }
}
