package io.hmb.agent;

import io.hmb.agent.http.LocalApi;

/**
 * One side of the agent (sending, receiving) as {@link Agent} wires it: it adds its routes to the local
 * API, starts its background work after the API is up, and stops it on close. Parts share nothing but the
 * {@code GatewayClient} and the state directory, each under its own subdirectory.
 */
public interface AgentPart extends AutoCloseable {
  void addRoutes(LocalApi.Builder api);

  /** Background work (resending the queue, the inbox subscription, webhooks); after {@link #addRoutes}. */
  void start() throws Exception;

  /**
   * Adds this part's facts to {@code GET /v1/health} (e.g. {@code outboundPending}, {@code inboundPending}):
   * counts and states only, since health needs no token.
   */
  default void describeHealth(com.fasterxml.jackson.databind.node.ObjectNode health) {}

  @Override
  void close();
}
