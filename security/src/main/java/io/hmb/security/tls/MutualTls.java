package io.hmb.security.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.security.GeneralSecurityException;

/**
 * gRPC transport credentials for mutual TLS: the server requires a client certificate from the trust
 * bundle; the client presents its participant certificate and checks the server's.
 * Transport-neutral (grpc-api), so a deployment can drop in an SM-capable JSSE provider.
 */
public final class MutualTls {
  private MutualTls() {}

  /** A server that refuses any TLS connection without a client certificate from the bundle. */
  public static ServerCredentials server(TlsIdentity identity, TrustBundle clients) throws GeneralSecurityException {
    return server(identity, clients, TlsServerCredentials.ClientAuth.REQUIRE);
  }

  /**
   * A server that verifies a client certificate when one is presented but also accepts connections
   * without one. Use only where every call that needs an identity is checked per call (the gateway
   * does this, so that load balancers can run health checks without a participant certificate).
   */
  public static ServerCredentials serverWithOptionalClientAuth(TlsIdentity identity, TrustBundle clients)
      throws GeneralSecurityException {
    return server(identity, clients, TlsServerCredentials.ClientAuth.OPTIONAL);
  }

  private static ServerCredentials server(TlsIdentity identity, TrustBundle clients,
      TlsServerCredentials.ClientAuth clientAuth) throws GeneralSecurityException {
    return TlsServerCredentials.newBuilder()
        .keyManager(identity.keyManagerFactory().getKeyManagers())
        .trustManager(clients.trustManagerFactory().getTrustManagers())
        .clientAuth(clientAuth)
        .build();
  }

  public static ChannelCredentials client(TlsIdentity identity, TrustBundle servers) throws GeneralSecurityException {
    return TlsChannelCredentials.newBuilder()
        .keyManager(identity.keyManagerFactory().getKeyManagers())
        .trustManager(servers.trustManagerFactory().getTrustManagers())
        .build();
  }

  /** A client that checks the server but presents no certificate (health checks, public directory). */
  public static ChannelCredentials anonymousClient(TrustBundle servers) throws GeneralSecurityException {
    return TlsChannelCredentials.newBuilder()
        .trustManager(servers.trustManagerFactory().getTrustManagers())
        .build();
  }
}
