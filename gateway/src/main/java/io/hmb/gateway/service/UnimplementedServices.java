package io.hmb.gateway.service;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.AcknowledgeRequest;
import io.hmb.api.v1.AcknowledgeResponse;
import io.hmb.api.v1.Delivery;
import io.hmb.api.v1.DeliveryServiceGrpc;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.Participant;
import io.hmb.api.v1.Product;
import io.hmb.api.v1.ResolveProductRequest;
import io.hmb.api.v1.SubscribeRequest;
import java.util.List;

/**
 * Services of hmb.v1 this build registers but does not offer yet. Unlike gRPC's generated defaults,
 * they answer with an ErrorInfo reason (NOT_IMPLEMENTED) so clients can tell "not yet" from "wrong".
 */
public final class UnimplementedServices {
  private UnimplementedServices() {}

  public static List<BindableService> all() {
    return List.of(
        new DeliveryServiceGrpc.DeliveryServiceImplBase() {
          @Override
          public void subscribe(SubscribeRequest request, StreamObserver<Delivery> reply) {
            reply.onError(notYet("DeliveryService.Subscribe"));
          }

          @Override
          public void acknowledge(AcknowledgeRequest request, StreamObserver<AcknowledgeResponse> reply) {
            reply.onError(notYet("DeliveryService.Acknowledge"));
          }
        },
        new DirectoryServiceGrpc.DirectoryServiceImplBase() {
          @Override
          public void getParticipant(GetParticipantRequest request, StreamObserver<Participant> reply) {
            reply.onError(notYet("DirectoryService.GetParticipant"));
          }

          @Override
          public void resolveProduct(ResolveProductRequest request, StreamObserver<Product> reply) {
            reply.onError(notYet("DirectoryService.ResolveProduct"));
          }
        });
  }

  private static RuntimeException notYet(String rpc) {
    return Errors.of(ErrorReason.NOT_IMPLEMENTED, "hmb.v1." + rpc + " is not offered by this gateway yet");
  }
}
