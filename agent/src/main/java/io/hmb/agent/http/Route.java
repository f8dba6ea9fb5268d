package io.hmb.agent.http;

/** One endpoint of the local API. Throw {@link ApiException} to refuse; anything else is a 500. */
@FunctionalInterface
public interface Route {
  ApiResponse handle(ApiRequest request) throws ApiException, InterruptedException;
}
