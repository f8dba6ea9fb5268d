package io.hmb.gateway.service;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.Acceptance;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.SealedEnvelope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The envelope-carrying hmb.v1 services, bound from {@link MessageCatalog}: each RPC only names its
 * catalogue row and hands the envelope to the {@link EnvelopeHandler}, so the whole message path lives
 * in one place. A pass-through RPC is an exchange, a unary store-and-forward RPC a submit, and an upload
 * stream an {@link OrderedUpload} of submits. A service RPC without a catalogue row fails at startup.
 *
 * <p>Requests are bound with {@link Received#MARSHALLER}, not the generated one: bytes that are not a
 * SealedEnvelope are answered MALFORMED_ENVELOPE with an ErrorInfo like any other bad envelope. The
 * service descriptor keeps the generated schema, so reflection still describes the services.
 */
public final class EnvelopeServices {
  private EnvelopeServices() {}

  public static List<BindableService> all(EnvelopeHandler handler) {
    List<BindableService> services = new ArrayList<>();
    for (ServiceDescriptor service : MessageCatalog.services()) {
      ServiceDescriptor.Builder lenient = ServiceDescriptor.newBuilder(service.getName())
          .setSchemaDescriptor(service.getSchemaDescriptor());
      Map<MethodDescriptor<Received, ?>, MessageCatalog.Rpc> rpcs = new LinkedHashMap<>();
      for (MethodDescriptor<?, ?> method : service.getMethods()) {
        MethodDescriptor<Received, ?> received = method.toBuilder(Received.MARSHALLER, method.getResponseMarshaller())
            .build();
        lenient.addMethod(received);
        rpcs.put(received, MessageCatalog.rpc(method));
      }
      ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(lenient.build());
      rpcs.forEach((method, rpc) -> bind(definition, method, rpc, handler));
      ServerServiceDefinition bound = definition.build();
      services.add(() -> bound);
    }
    return services;
  }

  @SuppressWarnings("unchecked") // the catalogue types each method by its kind; MessageCatalogTest checks the shapes
  private static void bind(ServerServiceDefinition.Builder definition, MethodDescriptor<Received, ?> method,
      MessageCatalog.Rpc rpc, EnvelopeHandler handler) {
    if (method.getType() == MethodDescriptor.MethodType.BIDI_STREAMING) {
      definition.addMethod((MethodDescriptor<Received, Acceptance>) method,
          ServerCalls.asyncBidiStreamingCall(reply -> new OrderedUpload(rpc, handler, reply)));
    } else if (rpc.accepts().kind() == MessageCatalog.Kind.PASS_THROUGH) {
      definition.addMethod((MethodDescriptor<Received, SealedEnvelope>) method,
          ServerCalls.asyncUnaryCall((request, reply) -> {
            if (request.malformed()) {
              refuseMalformed(reply);
            } else {
              handler.exchange(rpc, request.envelope(), reply);
            }
          }));
    } else {
      definition.addMethod((MethodDescriptor<Received, Acceptance>) method,
          ServerCalls.asyncUnaryCall((request, reply) -> {
            if (request.malformed()) {
              refuseMalformed(reply);
            } else {
              handler.submit(rpc, request.envelope(), reply);
            }
          }));
    }
  }

  static void refuseMalformed(StreamObserver<?> reply) {
    reply.onError(Errors.of(ErrorReason.MALFORMED_ENVELOPE,
        "the request is not a serialized hmb.v1.SealedEnvelope"));
  }
}
