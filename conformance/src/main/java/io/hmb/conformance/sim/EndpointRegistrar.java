package io.hmb.conformance.sim;

import java.nio.file.Path;

/**
 * Tells the gateway where a simulator's endpoint listens, so {@code ./hmb simulate} is one step. Registering
 * is an operator's act (the registry is the gateway's, and no hmb.v1 RPC lets a participant move its own
 * endpoint), so the command line supplies the real one, which goes through the gateway's admin door; this
 * module knows only the interface.
 */
@FunctionalInterface
public interface EndpointRegistrar {
  /**
   * Registers {@code hostPort} as {@code code}'s endpoint and returns once the gateway uses it.
   *
   * @param dataDir the gateway's data directory as given ({@code --data-dir}), or null for the directory
   *     above {@code keysDir}, where {@code ./hmb serve --demo} writes the keys
   * @return where it was registered, for the message (e.g. the data directory)
   */
  String register(String code, String hostPort, Path dataDir, Path keysDir) throws Exception;

  /** For a simulate command built without one (tests, an embedding): says so, and the manual step is printed. */
  EndpointRegistrar UNAVAILABLE = (code, hostPort, dataDir, keysDir) -> {
    throw new UnsupportedOperationException("this build of simulate cannot reach the gateway's registry");
  };
}
