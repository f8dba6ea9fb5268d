package io.hmb.conformance.endpoint;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.hmb.api.v1.Role;
import io.hmb.conformance.suite.ConformanceSession;
import io.hmb.security.tls.MutualTls;
import io.hmb.security.tls.TlsIdentity;
import io.hmb.security.tls.TrustBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An endpoint-mode run: the suite plays the gateway and calls one participant's
 * {@code hmb.v1.RecipientService} directly. It still needs the gateway's directory (through
 * {@link #gateway}) for the endpoint's public key and role; the crafted envelopes come from the
 * participant whose keys the suite holds, a registered counterpart whose key the endpoint resolves.
 */
public final class EndpointSession implements AutoCloseable {
  /** The suite's own participant (signing key, directory client), as in gateway mode. */
  public final ConformanceSession gateway;
  /** host:port of the endpoint under test. */
  public final String address;
  /** Participant code of the endpoint under test. */
  public final String code;
  /** Its role, from the gateway's directory. */
  public final Role role;
  /** mTLS channel to the endpoint, with {@link #gatewayTls}, requiring the endpoint to be {@link #code}'s. */
  public final ManagedChannel channel;
  /** The certificate the suite plays the gateway with (--endpoint-tls). */
  public final TlsIdentity gatewayTls;
  /** The premium the bureau under test expects for the person and product (deduction case). */
  public final long deductionFen;

  private EndpointSession(ConformanceSession gateway, String address, String code, Role role, ManagedChannel channel,
      TlsIdentity gatewayTls, long deductionFen) {
    this.gatewayTls = gatewayTls;
    this.gateway = gateway;
    this.address = address;
    this.code = code;
    this.role = role;
    this.channel = channel;
    this.deductionFen = deductionFen;
  }

  /**
   * @param tlsDir directory with {@code tls.crt} + {@code tls.key} for the connection to the endpoint (and
   *     {@code ca.crt} here or one level up): a certificate with the gateway's identity, the only one a
   *     conforming endpoint admits ({@code ./hmb serve --demo} writes one to {@code demo/conformance-gateway})
   */
  public static EndpointSession open(ConformanceSession gateway, String address, String code, Path tlsDir,
      long deductionFen) throws Exception {
    Objects.requireNonNull(code, "code");
    Role role = gateway.client.directory().participant(code).getRole();
    TlsIdentity tls = TlsIdentity.load(tlsDir, "tls");
    Path ca = Files.exists(tlsDir.resolve("ca.crt")) ? tlsDir.resolve("ca.crt")
        : tlsDir.toAbsolutePath().getParent().resolve("ca.crt");
    // As the gateway dials it: the endpoint must present the identity of the participant it is said to be.
    ManagedChannel channel = Grpc.newChannelBuilder(address, MutualTls.toEndpoint(tls, TrustBundle.load(ca), code)).build();
    return new EndpointSession(gateway, address, code, role, channel, tls, deductionFen);
  }

  /** A fresh per-case context. */
  public EndpointContext newContext() {
    return new EndpointContext(this, new java.util.ArrayList<>());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
  }
}
