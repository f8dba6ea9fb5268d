package io.hmb.gateway.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import io.grpc.stub.StreamObserver;
import com.google.type.Date;
import io.hmb.api.Errors;
import io.hmb.api.v1.DirectoryServiceGrpc;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetParticipantRequest;
import io.hmb.api.v1.ListProductsRequest;
import io.hmb.api.v1.ListProductsResponse;
import io.hmb.api.v1.Participant;
import io.hmb.api.v1.Product;
import io.hmb.api.v1.PublicKeyInfo;
import io.hmb.api.v1.ResolveProductRequest;
import io.hmb.gateway.registry.ParticipantKey;
import io.hmb.gateway.registry.RegistryCache;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;

/** Who is who: participants' live public keys (to seal for them), products' co-insurance bodies, a city's products. */
public final class DirectoryServiceImpl extends DirectoryServiceGrpc.DirectoryServiceImplBase {
  private final RegistryCache registry;
  private final Clock clock;

  public DirectoryServiceImpl(RegistryCache registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public void getParticipant(GetParticipantRequest request, StreamObserver<Participant> reply) {
    var snapshot = registry.current();
    var found = snapshot.participant(request.getCode());
    if (found.isEmpty()) {
      reply.onError(Errors.of(ErrorReason.RECIPIENT_UNKNOWN, "no participant " + request.getCode(),
          Map.of("field", "code")));
      return;
    }
    var p = found.get();
    Participant.Builder out = Participant.newBuilder().setCode(p.code()).setRole(p.role()).setAdmdvs(p.admdvs())
        .setDisplayName(p.displayName()).setSuspended(!p.active());
    var sealing = snapshot.sealingKey(p.code(), clock.instant());
    for (ParticipantKey k : snapshot.keys(p.code())) {
      if (k.status() != ParticipantKey.Status.ENABLED) {
        continue;
      }
      out.addKeys(PublicKeyInfo.newBuilder().setKeyId(k.keyId()).setCipherSuite(k.suite())
          .setPublicKey(ByteString.copyFrom(k.publicKeyDer()))
          .setNotBefore(Timestamps.fromMillis(k.notBefore().toEpochMilli()))
          .setNotAfter(Timestamps.fromMillis(k.notAfter().toEpochMilli()))
          .setPrimary(sealing.map(s -> s.keyId().equals(k.keyId())).orElse(false)));
    }
    reply.onNext(out.build());
    reply.onCompleted();
  }

  @Override
  public void resolveProduct(ResolveProductRequest request, StreamObserver<Product> reply) {
    var found = registry.current().product(request.getProductCode());
    if (found.isEmpty()) {
      reply.onError(Errors.of(ErrorReason.PRODUCT_UNKNOWN, "no product " + request.getProductCode(),
          Map.of("field", "product_code")));
      return;
    }
    reply.onNext(toProto(found.get()));
    reply.onCompleted();
  }

  @Override
  public void listProducts(ListProductsRequest request, StreamObserver<ListProductsResponse> reply) {
    // A city with no products, or a code that is no city, lists none: nothing to refuse.
    ListProductsResponse.Builder out = ListProductsResponse.newBuilder();
    registry.current().products().stream()
        .filter(p -> request.getAdmdvs().isEmpty() || p.admdvs().equals(request.getAdmdvs()))
        .sorted(Comparator.comparing(io.hmb.gateway.registry.Product::code))
        .forEach(p -> out.addProducts(toProto(p)));
    reply.onNext(out.build());
    reply.onCompleted();
  }

  private static Product toProto(io.hmb.gateway.registry.Product p) {
    Product.Builder out = Product.newBuilder().setProductCode(p.code()).setAdmdvs(p.admdvs()).setLeadInsurer(p.leadInsurer())
        .setTermStart(date(p.termStart())).setTermEnd(date(p.termEnd()));
    p.members().forEach(m -> out.addMembers(Product.Member.newBuilder().setInsurer(m.insurer()).setShareBp(m.shareBp())));
    return out.build();
  }

  private static Date date(LocalDate d) {
    return Date.newBuilder().setYear(d.getYear()).setMonth(d.getMonthValue()).setDay(d.getDayOfMonth()).build();
  }
}
