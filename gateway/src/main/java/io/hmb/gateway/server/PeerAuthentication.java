package io.hmb.gateway.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.hmb.security.tls.PeerIdentity;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * Every hmb.v1 call must come over TLS with a client certificate that names a participant, and that
 * participant must be in good standing now ({@link Standing}): registered, not suspended, with a live key.
 * This is the revocation of participant certificates: the registry is consulted on every call (through
 * its cache, refreshed at once by the node's own admin changes and within its TTL by other nodes'), so a
 * suspended participant can neither send, nor read the directory, nor pull its inbox. The code is put in
 * the call's Context for the handlers, which compare it with header.sender. Health checks and reflection
 * need no certificate, so load balancers and grpcurl can use them.
 */
public final class PeerAuthentication implements ServerInterceptor {
  /** The participant code proved by the caller's TLS client certificate. */
  public static final Context.Key<String> PEER = Context.key("hmb-peer-participant");
  private static final String PROTECTED_PREFIX = "hmb.v1.";

  /** Whether a participant may call now: empty if so, else the refusal (an hmb.v1 error with its reason). */
  @FunctionalInterface
  public interface Standing {
    Optional<io.grpc.StatusRuntimeException> refusal(String participantCode);

    /** Everyone may call (tests of the transport alone). */
    Standing ANYONE = code -> Optional.empty();
  }

  private final Standing standing;

  public PeerAuthentication(Standing standing) {
    this.standing = standing;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (!method.startsWith(PROTECTED_PREFIX)) {
      return next.startCall(call, headers);
    }
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    Optional<String> peer = PeerIdentity.participantCode(session);
    if (peer.isEmpty()) {
      call.close(Status.UNAUTHENTICATED.withDescription(
          "hmb.v1 calls need a TLS client certificate issued to a participant (./hmb participants issue-cert)"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Optional<io.grpc.StatusRuntimeException> refused = standing.refusal(peer.get());
    if (refused.isPresent()) {
      call.close(refused.get().getStatus(), refused.get().getTrailers() == null ? new Metadata() : refused.get().getTrailers());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(PEER, peer.get()), call, headers, next);
  }
}
