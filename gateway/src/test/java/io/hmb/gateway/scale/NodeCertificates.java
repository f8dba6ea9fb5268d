package io.hmb.gateway.scale;

import io.hmb.security.tls.TlsIdentity;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which gateway node presented a client certificate. Every node gets its own GATEWAY certificate from
 * the shared CA, so a recipient can tell which node pushed a delivery.
 */
final class NodeCertificates {
  /** GatewayTls keeps the node's client identity as tls/gateway-client.crt and .key. */
  private static final String CLIENT_IDENTITY = "gateway-client";

  private final Map<X509Certificate, String> names = new ConcurrentHashMap<>();

  void add(String node, Path nodeDataDir) throws Exception {
    names.put(TlsIdentity.load(nodeDataDir.resolve("tls"), CLIENT_IDENTITY).certificate(), node);
  }

  String nameOf(X509Certificate certificate) {
    return names.getOrDefault(certificate, "an unknown node");
  }
}
