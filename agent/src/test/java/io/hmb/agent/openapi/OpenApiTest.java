package io.hmb.agent.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hmb.agent.MessageNames;
import io.hmb.api.MessageCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAPI document: generated from the catalogue and the protos, committed, and every $ref resolves. */
class OpenApiTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void committedDocumentMatchesTheGenerator() throws Exception {
    Path doc = Path.of("../docs/agent-openapi.json");
    if (Boolean.getBoolean("hmb.docs.write")) {
      Files.writeString(doc, OpenApi.document(), StandardCharsets.UTF_8);
    }
    assertThat(Files.exists(doc)).as("docs/agent-openapi.json is missing: run with -Dhmb.docs.write=true").isTrue();
    assertThat(Files.readString(doc, StandardCharsets.UTF_8))
        .as("docs/agent-openapi.json is stale: run mvn -pl agent -am test -Dtest=OpenApiTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dhmb.docs.write=true")
        .isEqualTo(OpenApi.document());
  }

  @Test
  void everySendableTypeHasAnOperationAndNoAnswerHasOne() throws Exception {
    JsonNode paths = JSON.readTree(OpenApi.document()).path("paths");
    for (MessageCatalog.Entry e : MessageCatalog.entries().values()) {
      assertThat(paths.has("/v1/" + MessageNames.of(e.type()))).as(e.type().name()).isEqualTo(e.sendable());
    }
    assertThat(paths.path("/v1/health").path("get").path("security")).isEmpty();
    assertThat(paths.path("/v1/coverage-query").path("post").path("responses").has("200")).isTrue();
    assertThat(paths.path("/v1/settlement-data").path("post").path("responses").has("202")).isTrue();
  }

  @Test
  void theReceivingSideIsDescribedWithEveryStoredTypeItCanHandOver() throws Exception {
    JsonNode doc = JSON.readTree(OpenApi.document());
    assertThat(doc.path("paths").path("/v1/inbox").has("get")).isTrue();
    assertThat(doc.path("paths").path("/v1/inbox/{id}/ack").path("post").path("responses").has("204")).isTrue();
    List<String> types = new ArrayList<>();
    doc.path("components").path("schemas").path("ReceivedMessage").path("properties").path("type").path("enum")
        .forEach(t -> types.add(t.asText()));
    List<String> stored = MessageCatalog.entries().values().stream()
        .filter(e -> e.kind() == MessageCatalog.Kind.STORE_AND_FORWARD).map(e -> MessageNames.of(e.type())).toList();
    assertThat(types).containsExactlyElementsOf(stored);
  }

  @Test
  void schemasFollowTheCanonicalJsonMapping() throws Exception {
    JsonNode schemas = JSON.readTree(OpenApi.document()).path("components").path("schemas");
    JsonNode settlement = schemas.path("hmb.v1.SettlementData").path("properties");
    assertThat(settlement.path("medicalFeeTotalFen").path("type").asText()).isEqualTo("string");
    assertThat(settlement.path("medicalFeeTotalFen").path("format").asText()).isEqualTo("int64");
    assertThat(settlement.path("person").path("$ref").asText()).isEqualTo("#/components/schemas/hmb.v1.Person");
    assertThat(settlement.path("settleTime").path("format").asText()).isEqualTo("date-time");
    assertThat(settlement.has("medical_fee_total_fen")).isFalse();
    assertThat(schemas.path("hmb.v1.CareType").path("enum").toString()).contains("CARE_TYPE_");
    assertThat(schemas.path("hmb.v1.SettlementData").path("additionalProperties").asBoolean(true)).isFalse();
  }

  @Test
  void everyReferenceResolves() throws Exception {
    JsonNode doc = JSON.readTree(OpenApi.document());
    List<String> refs = new ArrayList<>();
    collect(doc, refs);
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      assertThat(ref).startsWith("#/components/schemas/");
      assertThat(doc.path("components").path("schemas").has(ref.substring("#/components/schemas/".length())))
          .as(ref).isTrue();
    }
  }

  private static void collect(JsonNode node, List<String> refs) {
    if (node.isObject()) {
      node.fields().forEachRemaining(f -> {
        if (f.getKey().equals("$ref")) {
          refs.add(f.getValue().asText());
        } else {
          collect(f.getValue(), refs);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, refs));
    }
  }
}
