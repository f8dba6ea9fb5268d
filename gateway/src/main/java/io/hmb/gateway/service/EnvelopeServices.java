package io.hmb.gateway.service;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.SealedEnvelope;
import java.util.ArrayList;
import java.util.List;

/**
 * The envelope-carrying hmb.v1 services, bound from {@link MessageCatalog}: each RPC only names its
 * catalogue row and hands the envelope to the {@link EnvelopeHandler}, so the whole message path lives
 * in one place. A pass-through RPC is an exchange, a unary store-and-forward RPC a submit, and an upload
 * stream an {@link OrderedUpload} of submits. A service RPC without a catalogue row fails at startup.
 */
public final class EnvelopeServices {
  private EnvelopeServices() {}

  public static List<BindableService> all(EnvelopeHandler handler) {
    List<BindableService> services = new ArrayList<>();
    for (ServiceDescriptor service : MessageCatalog.services()) {
      ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(service);
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        bind(definition, MessageCatalog.rpc(method), handler);
      }
      ServerServiceDefinition bound = definition.build();
      services.add(() -> bound);
    }
    return services;
  }

  @SuppressWarnings("unchecked") // the catalogue types each method by its kind; MessageCatalogTest checks the shapes
  private static void bind(ServerServiceDefinition.Builder definition, MessageCatalog.Rpc rpc, EnvelopeHandler handler) {
    if (rpc.method().getType() == MethodDescriptor.MethodType.BIDI_STREAMING) {
      definition.addMethod((MethodDescriptor<SealedEnvelope, Acceptance>) rpc.method(),
          ServerCalls.asyncBidiStreamingCall(reply -> new OrderedUpload(rpc, handler, reply)));
    } else if (rpc.accepts().kind() == MessageCatalog.Kind.PASS_THROUGH) {
      definition.addMethod((MethodDescriptor<SealedEnvelope, SealedEnvelope>) rpc.method(),
          ServerCalls.asyncUnaryCall((request, reply) -> handler.exchange(rpc, request, reply)));
    } else {
      definition.addMethod((MethodDescriptor<SealedEnvelope, Acceptance>) rpc.method(),
          ServerCalls.asyncUnaryCall((request, reply) -> handler.submit(rpc, request, reply)));
    }
  }
}
