package io.hmb.cli;

import io.hmb.conformance.sim.EndpointRegistrar;
import io.hmb.gateway.admin.GatewayAdmin;
import io.hmb.gateway.config.GatewayConfig;
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
    return "data directory " + dir;
  }
}
