package io.hmb.agent.receive;

import io.hmb.agent.http.ApiException;
import io.hmb.agent.http.ApiRequest;
import io.hmb.agent.http.ApiResponse;
import io.hmb.agent.http.LocalApi;
import io.hmb.agent.store.DurableQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The long-poll inbox of the local API, for a local system that takes messages itself rather than by
 * webhook: {@code GET /v1/inbox?wait=SECONDS&max=N} answers {@code {"messages": [...]}}, the oldest pending
 * first, waiting up to {@code wait} (0 to {@value #MAX_WAIT_SECONDS} s, default 0) when none is pending;
 * {@code POST /v1/inbox/{id}/ack} marks one taken (204; again: 204; an id never received: 404
 * UNKNOWN_MESSAGE). A message stays in every answer until it is acknowledged. With a webhook configured both
 * answer 409 WEBHOOK_CONFIGURED: the webhook takes the messages, and two takers would each see half.
 */
final class InboxRoutes {
  static final int MAX_WAIT_SECONDS = 30;
  static final int DEFAULT_MAX = 10;
  static final int MAX_MAX = 100;

  private final Inbound inbound;
  private final boolean webhook;

  InboxRoutes(Inbound inbound, boolean webhook) {
    this.inbound = inbound;
    this.webhook = webhook;
  }

  void addTo(LocalApi.Builder api) {
    api.route("GET", "/v1/inbox", this::poll);
    api.route("POST", "/v1/inbox/{id}/ack", this::ack);
  }

  ApiResponse poll(ApiRequest request) throws ApiException, InterruptedException {
    refuseWithWebhook();
    int wait = intParam(request, "wait", 0, 0, MAX_WAIT_SECONDS);
    int max = intParam(request, "max", DEFAULT_MAX, 1, MAX_MAX);
    List<DurableQueue.Entry> pending = inbound.awaitPending(max, Duration.ofSeconds(wait));
    StringBuilder json = new StringBuilder("{\"messages\":[");
    for (int i = 0; i < pending.size(); i++) {
      json.append(i == 0 ? "" : ",").append(new String(pending.get(i).record(), StandardCharsets.UTF_8));
    }
    return ApiResponse.jsonText(200, json.append("]}").toString());
  }

  ApiResponse ack(ApiRequest request) throws ApiException {
    refuseWithWebhook();
    String id = request.pathParam("id");
    if (inbound.acknowledge(id) == Inbound.Acked.UNKNOWN) {
      throw new ApiException(404, "UNKNOWN_MESSAGE", "no message with that id was received (or it was taken so "
          + "long ago that it is no longer remembered)");
    }
    return ApiResponse.noContent();
  }

  private void refuseWithWebhook() throws ApiException {
    if (webhook) {
      throw new ApiException(409, "WEBHOOK_CONFIGURED", "this agent hands received messages to its webhook URL; "
          + "the inbox routes are for an agent without one");
    }
  }

  private static int intParam(ApiRequest request, String name, int absent, int min, int max) throws ApiException {
    String raw = request.queryParam(name).orElse(null);
    if (raw == null) {
      return absent;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.badRequest("INVALID_PARAMETER", name + " must be a whole number from " + min + " to " + max);
  }
}
