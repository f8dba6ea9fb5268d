package io.hmb.cli;

import io.hmb.conformance.sim.EndpointRegistrar;
import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.config.GatewayConfig;
import io.hmb.gateway.registry.RegistryCache;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ./hmb simulate} registers its endpoint with: the gateway's admin door, as {@code participants
 * set-endpoint} does, on the data directory beside the simulator's keys unless told another (and the database
 * the environment names, as for every operator command).
 */
final class RegistryEndpointRegistrar implements EndpointRegistrar {
  /** The registry cache's TTL and its back-off after a failed reload: every node uses the endpoint by then. */
  static final java.time.Duration IN_USE_AFTER = RegistryCache.DEFAULT_TTL.plus(RegistryCache.FAILED_LOAD_BACKOFF);
  private final Map<String, String> env;

  RegistryEndpointRegistrar(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public String register(String code, String hostPort, Path dataDir, Path keysDir) throws Exception {
    Path dir = dataDir != null ? dataDir : keysDir.toAbsolutePath().normalize().getParent();
    GatewayConfig config = ConfigSources.load(null, env, Map.of("--data-dir", dir.toString()), List.of()).valid();
    try (GatewayAdmin gateway = GatewayAdmin.open(config, Clock.systemUTC())) {
      gateway.setEndpoint(code, Optional.of(hostPort));
    }
    // A running gateway reads the registry again within its cache's TTL; after that the endpoint is in use,
    // so a simulator that acts at once (insurer --enrol) or a suite started next finds it.
    Thread.sleep(IN_USE_AFTER.toMillis());
    return "data directory " + dir;
  }
}
