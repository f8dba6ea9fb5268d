package io.hmb.security.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import java.security.GeneralSecurityException;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * gRPC transport credentials for mutual TLS, one factory per side of an hmb connection; each checks the
 * peer's identity (docs/security.md "Certificate profiles"), not only that the CA issued its certificate:
 *
 * <ul>
 *   <li>{@link #toGateway} / {@link #anonymousToGateway}: a participant (or a health check) calling the
 *       gateway; the server must present {@code urn:hmb:gateway}.
 *   <li>{@link #toEndpoint}: the gateway calling a participant's endpoint; the server must present that
 *       participant's identity.
 *   <li>{@link #endpointServer}: a participant's endpoint; only a client with the gateway's identity gets in.
 *   <li>{@link #serverWithOptionalClientAuth}: the gateway's server; who the client is, is checked per call.
 * </ul>
 *
 * <p>{@link #client}, {@link #server} and {@link #anonymousClient} check the CA only: any certificate the CA
 * issued is accepted. They are for peers whose identity is checked some other way (tests, the echo
 * baseline, a deliberately flawed simulator) and never for a participant's or the gateway's connections.
 * Transport-neutral (grpc-api), so a deployment can drop in an SM-capable JSSE provider.
 */
public final class MutualTls {
  private MutualTls() {}

  /** A participant's channel to the gateway: presents {@code participant}, requires the gateway's identity. */
  public static ChannelCredentials toGateway(TlsIdentity participant, TrustBundle ca) throws GeneralSecurityException {
    return TlsChannelCredentials.newBuilder()
        .keyManager(participant.keyManagerFactory().getKeyManagers())
        .trustManager(IdentityTrustManager.forServer(ca, ExpectedPeer.gateway()))
        .build();
  }

  /** A channel to the gateway without a client certificate (health checks, the public directory). */
  public static ChannelCredentials anonymousToGateway(TrustBundle ca) throws GeneralSecurityException {
    return TlsChannelCredentials.newBuilder()
        .trustManager(IdentityTrustManager.forServer(ca, ExpectedPeer.gateway()))
        .build();
  }

  /**
   * The gateway's channel to {@code participantCode}'s endpoint: presents the gateway's client identity and
   * requires the endpoint to present that participant's identity (an endpoint certificate, or its
   * participant certificate of the old profile, {@link CertificateProfile#LEGACY_PARTICIPANT}).
   */
  public static ChannelCredentials toEndpoint(TlsIdentity gatewayClient, TrustBundle ca, String participantCode)
      throws GeneralSecurityException {
    return TlsChannelCredentials.newBuilder()
        .keyManager(gatewayClient.keyManagerFactory().getKeyManagers())
        .trustManager(IdentityTrustManager.forServer(ca, ExpectedPeer.participant(participantCode)))
        .build();
  }

  /**
   * {@link #toEndpoint(TlsIdentity, TrustBundle, String)} over a key manager and a CA trust manager that may
   * change while the gateway runs (re-read from disk): the identity check stays the same.
   */
  public static ChannelCredentials toEndpoint(X509KeyManager gatewayClient, X509ExtendedTrustManager ca,
      String participantCode) {
    return TlsChannelCredentials.newBuilder()
        .keyManager(gatewayClient)
        .trustManager(IdentityTrustManager.forServer(ca, ExpectedPeer.participant(participantCode)))
        .build();
  }

  /** A participant's endpoint: refuses any TLS connection whose client certificate is not the gateway's. */
  public static ServerCredentials endpointServer(TlsIdentity endpoint, TrustBundle ca) throws GeneralSecurityException {
    return TlsServerCredentials.newBuilder()
        .keyManager(endpoint.keyManagerFactory().getKeyManagers())
        .trustManager(IdentityTrustManager.forClients(ca, ExpectedPeer.gateway()))
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
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

  /**
   * {@link #serverWithOptionalClientAuth(TlsIdentity, TrustBundle)} over a key manager and a CA trust manager
   * that may change while the server runs (certificates re-read from disk, e.g. grpc-java's
   * {@code AdvancedTlsX509KeyManager} and {@code AdvancedTlsX509TrustManager}).
   */
  public static ServerCredentials serverWithOptionalClientAuth(X509KeyManager identity, X509TrustManager clients) {
    return TlsServerCredentials.newBuilder()
        .keyManager(identity)
        .trustManager(clients)
        .clientAuth(TlsServerCredentials.ClientAuth.OPTIONAL)
        .build();
  }

  /** CA only: a server that admits any client certificate the CA issued. Not for endpoints ({@link #endpointServer}). */
  public static ServerCredentials server(TlsIdentity identity, TrustBundle clients) throws GeneralSecurityException {
    return server(identity, clients, TlsServerCredentials.ClientAuth.REQUIRE);
  }

  private static ServerCredentials server(TlsIdentity identity, TrustBundle clients,
      TlsServerCredentials.ClientAuth clientAuth) throws GeneralSecurityException {
    return TlsServerCredentials.newBuilder()
        .keyManager(identity.keyManagerFactory().getKeyManagers())
        .trustManager(clients.trustManagerFactory().getTrustManagers())
        .clientAuth(clientAuth)
        .build();
  }

  /** CA only: a client that accepts any server certificate the CA issued. Not for hmb connections (see the class). */
  public static ChannelCredentials client(TlsIdentity identity, TrustBundle servers) throws GeneralSecurityException {
    return TlsChannelCredentials.newBuilder()
        .keyManager(identity.keyManagerFactory().getKeyManagers())
        .trustManager(servers.trustManagerFactory().getTrustManagers())
        .build();
  }

  /** CA only, no client certificate. Not for hmb connections: {@link #anonymousToGateway}. */
  public static ChannelCredentials anonymousClient(TrustBundle servers) throws GeneralSecurityException {
    return TlsChannelCredentials.newBuilder()
        .trustManager(servers.trustManagerFactory().getTrustManagers())
        .build();
  }
}
