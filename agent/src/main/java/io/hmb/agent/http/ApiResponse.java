package io.hmb.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a route answers: a status, a body and its type, and any extra headers. */
public record ApiResponse(int status, byte[] body, String contentType, Map<String, String> headers) {

  public static ApiResponse json(int status, JsonNode body) {
    try {
      return new ApiResponse(status, ApiRequest.JSON.writeValueAsBytes(body), "application/json", Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e);
    }
  }

  /** A body that is already JSON text (protobuf's JsonFormat output, the OpenAPI document). */
  public static ApiResponse jsonText(int status, String json) {
    return new ApiResponse(status, json.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, new byte[0], null, Map.of());
  }

  public ApiResponse withHeader(String name, String value) {
    var all = new java.util.LinkedHashMap<>(headers);
    all.put(name, value);
    return new ApiResponse(status, body, contentType, Map.copyOf(all));
  }
}
