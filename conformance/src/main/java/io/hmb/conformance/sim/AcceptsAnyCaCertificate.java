package io.hmb.conformance.sim;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryReceipt;
import io.hmb.api.v1.RecipientServiceGrpc;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.client.RecipientEndpoint;

/**
 * <b>Deliberately broken</b> ({@link Flaw#ACCEPTS_ANY_CA_CERTIFICATE}): a participant's endpoint as it was
 * before Security II, served with CA-only credentials ({@link EndpointServer} sees this wrapper) and calling
 * the SDK endpoint's methods past its gateway-only check. Every envelope check still runs, so only the
 * identity cases ({@code adversary_*}) can tell it from a healthy endpoint: any participant with a certificate
 * of the CA calls it directly and is answered.
 */
final class AcceptsAnyCaCertificate implements BindableService {
  private final RecipientEndpoint endpoint;

  AcceptsAnyCaCertificate(RecipientEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public ServerServiceDefinition bindService() {
    return new RecipientServiceGrpc.RecipientServiceImplBase() {
      @Override
      public void exchange(SealedEnvelope request, StreamObserver<SealedEnvelope> reply) {
        endpoint.exchange(request, reply);
      }

      @Override
      public void deliver(Delivery request, StreamObserver<DeliveryReceipt> reply) {
        endpoint.deliver(request, reply);
      }
    }.bindService();
  }
}
