package io.hmb.agent.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;
import java.util.Optional;

/**
 * One request as a route sees it, already authenticated: method, path, the path's {@code {name}} values,
 * query parameters (the last of each name), headers (names lower-case) and the whole body.
 */
public record ApiRequest(String method, String path, Map<String, String> pathParams, Map<String, String> query,
    Map<String, String> headers, byte[] body) {

  /** Strict JSON: a field twice is an error (which one would the sender have meant?). */
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
  }

  public Optional<String> queryParam(String name) {
    return Optional.ofNullable(query.get(name));
  }

  public String pathParam(String name) {
    String v = pathParams.get(name);
    if (v == null) {
      throw new IllegalStateException("route has no path parameter " + name);
    }
    return v;
  }

  /** The body as a JSON object, or 400 INVALID_JSON saying where it stopped being JSON. */
  public JsonNode jsonObject() throws ApiException {
    if (body.length == 0) {
      throw ApiException.badRequest("INVALID_JSON", "the request has no body; send a JSON object");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the input; only the location is returned (the body may hold personal data).
      var where = e.getLocation();
      throw ApiException.badRequest("INVALID_JSON", "the body is not JSON"
          + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")")
          + (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
              ? ": a field appears twice" : ""));
    } catch (java.io.IOException e) {
      throw ApiException.badRequest("INVALID_JSON", "the body could not be read");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("INVALID_JSON", "the body must be a JSON object");
    }
    return node;
  }
}
